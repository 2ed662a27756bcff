"""A layer's tile attributes coded once per version, then looked up per tile.

Reading every attribute of every feature for each tile costs more than the
rest of the tile; the values do not change until the layer is republished, so
they are coded once and a tile reads only ids and geometries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from simpul.store.base import FieldType

from .attributes import Attributes, attributes
from .encoding import value_entries


@dataclass(frozen=True)
class AttributeDictionary:
    """Every distinct value of a layer's tile attributes, by feature id."""

    keys: list[str]
    values: list[Any]
    ids: np.ndarray  # sorted feature ids
    codes: np.ndarray  # (features, keys) indexes into values; -1 where null
    entries: list[bytes]  # each value, encoded for a tile's values table

    def for_features(self, ids: np.ndarray) -> Attributes:
        """Return the attributes of *ids*, with only the values they use."""
        rows = np.searchsorted(self.ids, ids)
        codes = self.codes[np.clip(rows, 0, max(len(self.ids) - 1, 0))]
        present = codes >= 0
        used, inverse = np.unique(codes[present], return_inverse=True)
        local = np.full(codes.shape, -1, dtype=np.int64)
        local[present] = inverse
        chosen = used.tolist()
        return Attributes(
            self.keys,
            [self.values[i] for i in chosen],
            local,
            [self.entries[i] for i in chosen],
        )


def build(
    ids: Sequence[int], columns: dict[str, Sequence[Any]], types: dict[str, FieldType]
) -> AttributeDictionary:
    """Code the attribute *columns* of the features *ids* (integers)."""
    coded = attributes(columns, types, len(ids))
    id_array = np.asarray(ids, dtype=np.int64)
    order = np.argsort(id_array, kind="stable")
    return AttributeDictionary(
        coded.keys,
        coded.values,
        id_array[order],
        coded.codes[order],
        value_entries(coded.values),
    )
