"""Mapbox Vector Tile 2.1 encoding, vectorised with numpy.

Feature messages are written as one stream of varints (every tag and value
of a feature is one), so a whole layer encodes without a per-feature loop;
the layer's other fields go through the protobuf classes of mapbox-vector-tile,
except short strings, written directly because they dominate the values table. See https://github.com/mapbox/vector-tile-spec/tree/master/2.1
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from mapbox_vector_tile.Mapbox import vector_tile_pb2

from .attributes import Attributes
from .paths import POINT, POLYGON, Paths

MOVE_TO, LINE_TO, CLOSE_PATH = 1, 2, 7

# Field keys (field number << 3 | wire type) of the messages written here.
FEATURE_ID, FEATURE_TAGS, FEATURE_TYPE, FEATURE_GEOMETRY = 0x08, 0x12, 0x18, 0x22
LAYER_FEATURES, LAYER_VALUES, VALUE_STRING, TILE_LAYERS = 0x12, 0x22, 0x0A, 0x1A


def commands(p: Paths) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the command stream, its features and their command counts."""
    starts = np.cumsum(p.lengths) - p.lengths
    if p.kind == POINT:
        size = 1 + 2 * p.lengths
    else:
        size = 2 * p.lengths + 2 + (p.kind == POLYGON)
    out_start = np.cumsum(size) - size
    out = np.empty(int(size.sum()), dtype=np.uint64)

    if p.kind == POINT:
        out[out_start] = MOVE_TO | (p.lengths << 3)
    else:
        out[out_start] = MOVE_TO | (1 << 3)
        out[out_start + 3] = LINE_TO | ((p.lengths - 1) << 3)
        if p.kind == POLYGON:
            out[out_start + size - 1] = CLOSE_PATH | (1 << 3)

    # Coordinates are deltas from the previous point; the cursor starts at 0,0
    # in every feature (4.3.2).
    first_path = np.r_[True, p.owners[1:] != p.owners[:-1]]
    previous = np.roll(p.points, 1, axis=0)
    previous[starts[first_path]] = 0
    delta = p.points - previous
    zigzag = ((delta << 1) ^ (delta >> 63)).astype(np.uint64)

    path = np.repeat(np.arange(len(p.lengths)), p.lengths)
    j = np.arange(len(p.points)) - starts[path]
    pos = out_start[path] + 1 + 2 * j + ((j > 0) & (p.kind != POINT))
    out[pos], out[pos + 1] = zigzag[:, 0], zigzag[:, 1]

    features = p.owners[first_path]
    counts = np.add.reduceat(size, np.flatnonzero(first_path))
    return out, features, counts


#: The smallest value taking 2, 3, ... 10 bytes as a varint.
_VARINT_LIMITS = np.array([1 << shift for shift in range(7, 64, 7)], dtype=np.uint64)


def varint_sizes(values: np.ndarray) -> np.ndarray:
    """Return how many bytes each value takes as a protobuf varint."""
    values = np.asarray(values, dtype=np.uint64)
    return np.searchsorted(_VARINT_LIMITS, values, side="right") + 1


def varints(values: np.ndarray) -> bytes:
    """Return *values* (uint64) encoded as consecutive protobuf varints."""
    if len(values) == 0:
        return b""
    values = np.asarray(values, dtype=np.uint64)
    sizes = varint_sizes(values)
    starts = np.cumsum(sizes) - sizes
    out = np.empty(int(starts[-1] + sizes[-1]), dtype=np.uint8)
    low = (values & np.uint64(0x7F)).astype(np.uint8)
    out[starts] = low | ((sizes > 1).astype(np.uint8) << 7)
    for byte in range(1, int(sizes.max())):
        at = np.flatnonzero(sizes > byte)
        chunk = (values[at] >> np.uint64(7 * byte)) & np.uint64(0x7F)
        more = (sizes[at] > byte + 1).astype(np.uint8) << 7
        out[starts[at] + byte] = chunk.astype(np.uint8) | more
    return out.tobytes()


def _value(value: Any) -> bytes:
    """Return one entry of the layer's values table (field 4, a Value message)."""
    if isinstance(value, bool):
        message = vector_tile_pb2.tile.value(bool_value=value)
    elif isinstance(value, int) and -(2**63) <= value < 2**63:
        if value < 0:
            message = vector_tile_pb2.tile.value(sint_value=value)
        else:
            message = vector_tile_pb2.tile.value(int_value=value)
    elif isinstance(value, float):
        message = vector_tile_pb2.tile.value(double_value=value)
    else:
        message = vector_tile_pb2.tile.value(string_value=str(value))
    body = message.SerializeToString()
    return varints(np.array([LAYER_VALUES, len(body)], dtype=np.uint64)) + body


def _strings(run: list[str]) -> bytes:
    """Return values table entries for strings, in bulk when all are short."""
    texts = [v.encode() for v in run]
    sizes = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    if sizes.max() >= 126:  # a length would take two varint bytes
        return b"".join(map(_value, run))
    heads = np.empty((len(run), 4), dtype=np.uint8)
    heads[:, 0], heads[:, 1] = LAYER_VALUES, sizes + 2
    heads[:, 2], heads[:, 3] = VALUE_STRING, sizes
    starts = np.cumsum(sizes + 4) - (sizes + 4)
    out = np.empty(int(sizes.sum()) + 4 * len(run), dtype=np.uint8)
    is_head = np.zeros(len(out), dtype=bool)
    is_head[(starts[:, None] + np.arange(4)).ravel()] = True
    out[is_head] = heads.ravel()
    out[~is_head] = np.frombuffer(b"".join(texts), dtype=np.uint8)
    return out.tobytes()


def _values(values: list[Any]) -> bytes:
    """Return the layer's values table (runs of strings go in bulk)."""
    chunks = []
    for is_text, run in itertools.groupby(values, key=lambda v: type(v) is str):
        run = list(run)
        chunks.append(_strings(run) if is_text else b"".join(map(_value, run)))
    return b"".join(chunks)


def value_entries(values: list[Any]) -> list[bytes]:
    """Return each value's values table entry, encoded on its own."""
    entries = []
    for value in values:
        if type(value) is str and len(text := value.encode()) < 126:
            head = (LAYER_VALUES, len(text) + 2, VALUE_STRING, len(text))
            entries.append(bytes(head) + text)
        else:
            entries.append(_value(value))
    return entries


def layer_header(name: str, extent: int, attrs: Attributes) -> bytes:
    """Return the layer's fields other than its features."""
    layer = vector_tile_pb2.tile.layer(version=2, name=name, extent=extent)
    layer.keys.extend(attrs.keys)
    if attrs.entries is not None:
        return layer.SerializeToString() + b"".join(attrs.entries)
    return layer.SerializeToString() + _values(attrs.values)


def tile(layer: bytes) -> bytes:
    """Wrap one encoded layer into a tile."""
    return varints(np.array([TILE_LAYERS, len(layer)], dtype=np.uint64)) + layer
