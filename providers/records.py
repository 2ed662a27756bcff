"""pygeoapi record provider over the node's catalogue (OGC API - Records).

The records are those pycsw serves at /csw: both read the same catalogue file,
which publishing keeps current.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pygeoapi.provider.base import (
    BaseProvider,
    ProviderConnectionError,
    ProviderInvalidQueryError,
    ProviderItemNotFoundError,
)
from simpul_providers.recordsearch import QUERYABLES, Search, SearchError, run

from simpul.catalogue.entries import Entry, load_entries

LOGGER = logging.getLogger(__name__)


class RecordsProvider(BaseProvider):
    """Search and read the node's metadata records."""

    def __init__(self, provider_def: dict) -> None:
        super().__init__(provider_def)
        self.id_field = "id"
        self.time_field = "updated"
        self.title_field = "title"
        self.path = Path(self.data)
        self._fields = self.get_fields()

    def get_fields(self) -> dict[str, dict]:
        """Return the queryables of a record."""
        return {name: dict(schema) for name, schema in QUERYABLES.items()}

    def query(
        self,
        offset: int = 0,
        limit: int = 10,
        resulttype: str = "results",
        bbox: list[float] | None = None,
        datetime_: str | None = None,
        properties: list[tuple[str, str]] | None = None,
        sortby: list[dict[str, str]] | None = None,
        select_properties: list[str] | None = None,
        skip_geometry: bool = False,
        q: str | None = None,
        filterq: Any = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Return one page of the records matching the search, with counts."""
        search = Search(
            q=q,
            bbox=bbox or (),
            datetime=datetime_,
            equals=list(properties or []),
            filter=filterq,
            sortby=[(s["property"], s["order"] != "-") for s in sortby or []],
        )
        try:
            found = run(self._entries(), search)
        except SearchError as err:
            raise ProviderInvalidQueryError(user_msg=str(err)) from err

        page = [] if resulttype == "hits" else found[offset : offset + limit]
        features = [_feature(e, select_properties, skip_geometry) for e in page]
        return {
            "type": "FeatureCollection",
            "features": features,
            "numberMatched": len(found),
            "numberReturned": len(features),
        }

    def get(self, identifier: str, **kwargs: Any) -> dict[str, Any]:
        """Return the record *identifier*."""
        for entry in self._entries():
            if entry.id == identifier:
                return _feature(entry, None, False)
        raise ProviderItemNotFoundError(user_msg=f"record {identifier} not found")

    def _entries(self) -> list[Entry]:
        """Return the catalogue's records."""
        try:
            return load_entries(self.path)
        except Exception as err:  # a broken catalogue file is a server fault
            LOGGER.error("Cannot read the catalogue %s: %s", self.path, err)
            raise ProviderConnectionError("the catalogue cannot be read") from err

    def __repr__(self) -> str:
        return f"<RecordsProvider> {self.data}"


def _feature(
    entry: Entry, select: list[str] | None, skip_geometry: bool
) -> dict[str, Any]:
    """Return a copy of the record shaped as the request asks."""
    feature = dict(entry.record)
    if select:
        props = entry.record.get("properties") or {}
        feature["properties"] = {k: v for k, v in props.items() if k in select}
    if skip_geometry:
        feature["geometry"] = None
    return feature
