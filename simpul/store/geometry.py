"""GeoPackage geometry blobs: the binary header in front of standard WKB.

See the GeoPackage encoding, http://www.geopackage.org/spec/#gpb_format.
"""

from __future__ import annotations

import struct

import shapely

#: Bytes of envelope that follow the 8-byte header, by envelope indicator.
ENVELOPE_SIZES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def wkb_offset(blob: bytes) -> int:
    """Return where the WKB starts inside a GeoPackage geometry blob."""
    if blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry")
    indicator = (blob[3] >> 1) & 0x07
    return 8 + ENVELOPE_SIZES[indicator]


def to_wkb(blob: bytes | None) -> bytes | None:
    """Return the WKB of a GeoPackage geometry blob (None for NULL or empty)."""
    if blob is None:
        return None
    if blob[3] & 0x10:  # the empty-geometry flag
        return None
    return bytes(blob[wkb_offset(blob) :])


def from_wkb(wkb: bytes, srs_id: int) -> bytes:
    """Return a GeoPackage blob (with an XY envelope) for a WKB geometry."""
    geom = shapely.from_wkb(wkb)
    if geom.is_empty:
        return b"GP\x00" + bytes([0x01 | 0x10]) + struct.pack("<i", srs_id) + wkb
    minx, miny, maxx, maxy = geom.bounds
    header = b"GP\x00" + bytes([0x01 | (1 << 1)]) + struct.pack("<i", srs_id)
    return header + struct.pack("<4d", minx, maxx, miny, maxy) + wkb


def envelope(blob: bytes) -> tuple[float, float, float, float] | None:
    """Return (minx, miny, maxx, maxy) from the blob header, when it carries one."""
    if (blob[3] >> 1) & 0x07 == 0:
        return None
    order = "<" if blob[3] & 0x01 else ">"
    minx, maxx, miny, maxy = struct.unpack(order + "4d", blob[8:40])
    return minx, miny, maxx, maxy
