"""Assemble one MVT layer from snapped paths, attributes and feature ids."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import encoding as enc
from .attributes import Attributes, with_ids
from .paths import Paths


def encode(
    name: str,
    extent: int,
    groups: list[Paths],
    attrs: Attributes,
    ids: Sequence[Any],
    id_name: str,
) -> bytes | None:
    """Return the tile holding one layer, or None when no feature is left."""
    streams = [enc.commands(p) for p in groups]
    if not streams:
        return None
    geometry = np.concatenate([s[0] for s in streams])
    rows = np.concatenate([s[1] for s in streams])
    geometry_counts = np.concatenate([s[2] for s in streams])
    kinds = np.concatenate(
        [
            np.full(len(s[1]), p.kind, dtype=np.uint64)
            for s, p in zip(streams, groups, strict=True)
        ]
    )

    attrs, numbers, has_id = with_ids(attrs, ids, id_name)
    codes = attrs.codes[rows]
    present = codes >= 0
    key_index = np.broadcast_to(np.arange(codes.shape[1]), codes.shape)
    tags = np.stack([key_index[present], codes[present]], axis=1).ravel()
    tag_counts = 2 * present.sum(axis=1)

    features = _features(
        numbers[rows],
        has_id[rows],
        kinds,
        tags.astype(np.uint64),
        tag_counts,
        geometry,
        geometry_counts,
    )
    header = enc.layer_header(name, extent, attrs)
    return enc.tile(header + features)


def _bytes_per_feature(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Return the varint byte length of each feature's run of *values*."""
    owner = np.repeat(np.arange(len(counts)), counts)
    sizes = enc.varint_sizes(values)
    return np.bincount(owner, weights=sizes, minlength=len(counts)).astype(np.int64)


def _features(
    ids: np.ndarray,
    has_id: np.ndarray,
    kinds: np.ndarray,
    tags: np.ndarray,
    tag_counts: np.ndarray,
    geometry: np.ndarray,
    geometry_counts: np.ndarray,
) -> bytes:
    """Return the layer's feature fields (key 2), written as one varint stream."""
    size = enc.varint_sizes
    tag_bytes = _bytes_per_feature(tags, tag_counts)
    geom_bytes = _bytes_per_feature(geometry, geometry_counts)
    has_tags = tag_counts > 0
    body = (
        has_id * (1 + size(ids))
        + has_tags * (1 + size(tag_bytes.astype(np.uint64)) + tag_bytes)
        + 2
        + 1
        + size(geom_bytes.astype(np.uint64))
        + geom_bytes
    )

    # Tokens per feature: key+length, id, tags, type, geometry key+length, geometry.
    count = 2 + 2 * has_id + has_tags * (2 + tag_counts) + 4 + geometry_counts
    start = np.cumsum(count) - count
    out = np.empty(int(count.sum()), dtype=np.uint64)
    out[start], out[start + 1] = enc.LAYER_FEATURES, body
    at = start + 2
    out[at[has_id]], out[at[has_id] + 1] = enc.FEATURE_ID, ids[has_id]
    at = at + 2 * has_id
    out[at[has_tags]], out[at[has_tags] + 1] = enc.FEATURE_TAGS, tag_bytes[has_tags]
    _scatter(out, at + 2, tags, tag_counts)
    at = at + has_tags * (2 + tag_counts)
    out[at], out[at + 1] = enc.FEATURE_TYPE, kinds
    out[at + 2], out[at + 3] = enc.FEATURE_GEOMETRY, geom_bytes
    _scatter(out, at + 4, geometry, geometry_counts)
    return enc.varints(out)


def _scatter(
    out: np.ndarray, starts: np.ndarray, values: np.ndarray, counts: np.ndarray
) -> None:
    """Write each feature's run of *values* into *out* from its start."""
    owner = np.repeat(np.arange(len(counts)), counts)
    first = np.cumsum(counts) - counts
    out[starts[owner] + np.arange(len(values)) - first[owner]] = values
