"""Feature attributes as MVT keys, values and per-feature tag codes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from simpul.store.base import FieldType

#: Field types a tile cannot carry.
SKIPPED = {FieldType.BINARY}


@dataclass(frozen=True)
class Attributes:
    """The layer's keys and values tables and each feature's tags."""

    keys: list[str]
    values: list[Any]
    #: (features, keys) indexes into *values*; -1 where the value is null.
    codes: np.ndarray
    #: The values already encoded as values table entries, when known.
    entries: list[bytes] | None = None


def attributes(
    columns: dict[str, Sequence[Any]], types: dict[str, FieldType], count: int
) -> Attributes:
    """Return the keys, deduplicated values and tag codes of *columns*."""
    keys: list[str] = []
    values: list[Any] = []
    codes = np.full((count, len(columns)), -1, dtype=np.int64)
    for name, column in columns.items():
        if types.get(name) in SKIPPED:
            continue
        if types.get(name) is FieldType.BOOLEAN:
            column = [None if v is None else bool(v) for v in column]
        unique = dict.fromkeys(column)
        nulls = None in unique
        unique.pop(None, None)
        codes[:, len(keys)] = _codes(column, unique, nulls, len(values))
        keys.append(name)
        values.extend(unique)
    return Attributes(keys, values, codes[:, : len(keys)])


def _codes(
    column: Sequence[Any], unique: dict[Any, None], nulls: bool, offset: int
) -> np.ndarray:
    """Return the index in the values table of each value of *column*."""
    count = len(column)
    if not nulls and len(unique) == count:  # all distinct, in order
        return np.arange(offset, offset + count)
    if not nulls and len(unique) == 1:
        return np.full(count, offset)
    index: dict[Any, int] = {v: i + offset for i, v in enumerate(unique)}
    index[None] = -1
    return np.fromiter(map(index.__getitem__, column), dtype=np.int64, count=count)


def with_ids(
    attrs: Attributes, ids: Sequence[Any], id_name: str
) -> tuple[Attributes, np.ndarray, np.ndarray]:
    """Split *ids* into MVT feature ids and, for the rest, an attribute.

    MVT 2.1, 4.2: a feature id is an unsigned integer; any other identifier
    (negative, text) travels as a property named after the id field.
    """
    count = len(ids)
    if isinstance(ids, np.ndarray) and ids.dtype.kind in "iu" and (ids >= 0).all():
        return attrs, ids.astype(np.uint64), np.ones(count, dtype=bool)
    unsigned = np.fromiter(
        (type(i) is int and 0 <= i < 2**64 for i in ids), dtype=bool, count=count
    )
    numbers = np.zeros(count, dtype=np.uint64)
    if unsigned.any():
        numbers[unsigned] = [i for i, ok in zip(ids, unsigned, strict=True) if ok]
    if unsigned.all():
        return attrs, numbers, unsigned

    others = [None if ok else i for i, ok in zip(ids, unsigned, strict=True)]
    extra = attributes({id_name: others}, {}, count)
    codes = extra.codes + np.where(extra.codes >= 0, len(attrs.values), 0)
    entries = None
    if attrs.entries is not None:
        from .encoding import value_entries  # encoding builds on this module

        entries = [*attrs.entries, *value_entries(extra.values)]
    merged = Attributes(
        [*attrs.keys, id_name],
        [*attrs.values, *extra.values],
        np.hstack([attrs.codes, codes]),
        entries,
    )
    return merged, numbers, unsigned
