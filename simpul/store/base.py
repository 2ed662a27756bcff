"""The store interface shared by the publishing side and the serving side.

A store holds one table per dataset (a *layer*) in the node's storage CRS (CRS84,
longitude first). Publishing writes layers through :class:`StoreWriter`; the pygeoapi
providers read them through :class:`Store`. Neither side imports the other.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simpul.tiles import TileOptions

#: The one CRS every layer is stored in (EPSG:4326 with longitude first).
STORAGE_CRS = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
STORAGE_SRID = 4326


class FieldType(enum.StrEnum):
    """Attribute types, named as JSON Schema / OGC queryables name them."""

    INTEGER = "integer"
    NUMBER = "number"
    STRING = "string"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "date-time"
    BINARY = "binary"


@dataclass(frozen=True)
class Field:
    """One attribute column of a layer."""

    name: str
    type: FieldType


@dataclass(frozen=True)
class Layer:
    """What the serving side needs to know about one published dataset."""

    name: str
    table: str
    pk: str
    geometry_column: str | None
    geometry_type: str
    fields: tuple[Field, ...]
    extent: tuple[float, float, float, float] | None
    count: int
    version: str
    #: True when the primary keys are exactly 1..count, so that an offset into
    #: the unfiltered layer ordered by key is a key comparison, not a scan.
    dense_ids: bool = False

    def field(self, name: str) -> Field | None:
        """Return the field called *name*, or None."""
        for f in self.fields:
            if f.name == name:
                return f
        return None


@dataclass
class Query:
    """A features query in storage-CRS terms; every part is optional."""

    bbox: Sequence[float] | None = None
    filter: Any = None  # a pygeofilter AST node
    equals: list[tuple[str, Any]] = field(default_factory=list)
    datetime: str | None = None  # "instant" or "start/end", ".." for open ends
    time_field: str | None = None
    q: list[str] = field(default_factory=list)  # free-text terms, any must match
    sortby: list[tuple[str, bool]] = field(default_factory=list)  # (name, ascending)
    select: list[str] | None = None
    skip_geometry: bool = False
    offset: int = 0
    limit: int = 10


@dataclass
class LayerData:
    """A dataset ready to store: geometries as WKB in the storage CRS."""

    geometry_type: str  # OGC name, e.g. "MultiPolygon"; "Unknown" when mixed
    wkb: Sequence[bytes | None]
    columns: dict[str, Sequence[Any]]  # attribute name -> values, in order
    types: dict[str, FieldType]
    ids: Sequence[int] | None = None  # feature ids to keep, unique integers

    def __len__(self) -> int:
        return len(self.wkb)


@dataclass(frozen=True)
class Matched:
    """How many features match a query; an estimate when *exact* is False."""

    count: int
    exact: bool = True


@dataclass(frozen=True)
class Row:
    """One feature as a store returns it: geometry as ISO WKB in the storage CRS."""

    id: int | str
    properties: dict[str, Any]
    wkb: bytes | None


class StoreError(Exception):
    """The store cannot answer (missing file, unreachable database)."""


class StoreUnavailable(StoreError):
    """The store cannot be reached now; the same request may succeed later."""


class StoreTimeout(StoreUnavailable):
    """The store gave up on a query that ran longer than it allows."""


class LayerNotFound(StoreError):
    """No layer of that name is published."""


class LayerChanged(StoreError):
    """The layer was republished while a request was reading it; read it again."""


class QueryError(ValueError):
    """The query cannot be answered as asked (unknown field, bad value)."""


class Store(ABC):
    """Read access to the layers of one store."""

    def close(self) -> None:  # noqa: B027 - a store without connections has none
        """Release the store's connections; it reopens them when used again."""

    @abstractmethod
    def layers(self) -> list[Layer]:
        """Return every published layer."""

    @abstractmethod
    def layer(self, name: str) -> Layer:
        """Return the layer *name* as it is published now; raise LayerNotFound."""

    @abstractmethod
    def count(self, layer: Layer, query: Query) -> int:
        """Return how many features match *query*, ignoring offset and limit."""

    def matched(self, layer: Layer, query: Query) -> Matched:
        """Return the match count, which a store may estimate on large tables."""
        return Matched(self.count(layer, query))

    @abstractmethod
    def features(self, layer: Layer, query: Query) -> Iterator[Row]:
        """Yield the features matching *query*, in a stable order."""

    @abstractmethod
    def feature(self, layer: Layer, identifier: str) -> Row | None:
        """Return one feature by id, or None."""

    @abstractmethod
    def envelope_rows(
        self, layer: Layer, bbox: Sequence[float], columns: Sequence[str]
    ) -> Iterator[Row]:
        """Yield features whose envelope meets *bbox*, with only *columns*."""

    def tile(
        self,
        layer: Layer,
        tms_id: str,
        z: int,
        x: int,
        y: int,
        options: TileOptions,
    ) -> bytes | None:
        """Return the MVT tile z/x/y (column x, row y) of *layer*; None if empty.

        This default builds the tile in Python from :meth:`envelope_rows`; a
        store that can do better (one SQL statement) overrides it.
        """
        from simpul.tiles.fromrows import tile_from_rows  # it builds on this module

        return tile_from_rows(self, layer, tms_id, z, x, y, options)


class StoreWriter(ABC):
    """Write access used by publishing: atomic replacement of whole layers."""

    @abstractmethod
    def replace_layer(self, name: str, data: LayerData) -> Layer:
        """Load *data* as layer *name*; the old layer serves until this returns."""

    @abstractmethod
    def drop_layer(self, name: str) -> None:
        """Remove the layer *name*; raise LayerNotFound when absent."""
