"""The features cases: one request, its floors, and how to check the answer."""

from __future__ import annotations

import json
from dataclasses import dataclass

from . import floors

COLLECTION = "buildings"
#: Kota Banjarbaru's centre (lon, lat), as the tiles suite uses it.
CITY_CENTRE = (114.8205, -3.4430)


@dataclass(frozen=True)
class Case:
    """One measured request and the same read straight from the GeoPackage."""

    name: str
    path: str
    sql: str
    expect: int

    def check(self, body: bytes) -> None:
        """Raise unless *body* holds the expected number of features."""
        doc = json.loads(body)
        got = len(doc["features"]) if "features" in doc else 1
        if got != self.expect:
            raise RuntimeError(f"{self.name}: {got} features, not {self.expect}")


def centre_bbox(half: float) -> tuple[float, float, float, float]:
    """Return a box of half-size *half* degrees round the city centre."""
    x, y = CITY_CENTRE
    return (
        round(x - half, 6),
        round(y - half, 6),
        round(x + half, 6),
        round(y + half, 6),
    )


def cases(table: floors.Table, count: int, bbox: tuple[float, ...]) -> list[Case]:
    """Return the page, deep-offset page, bbox page and one-item cases."""
    items = f"/collections/{COLLECTION}/items?f=json&limit=1000"
    deep = max(0, count - 10_000)
    fid = count // 2
    in_box = floors.SqliteFloor(table).rows(floors.page_sql(table, bbox=bbox))
    box = ",".join(str(v) for v in bbox)
    return [
        Case("page 1000, first", items, floors.page_sql(table), 1000),
        Case(
            f"page 1000, offset {deep}",
            f"{items}&offset={deep}",
            floors.page_sql(table, after=deep),
            1000,
        ),
        Case(
            "page 1000, bbox centre",
            f"{items}&bbox={box}",
            floors.page_sql(table, bbox=bbox),
            in_box,
        ),
        Case(
            f"item by id ({fid})",
            f"/collections/{COLLECTION}/items/{fid}?f=json",
            floors.id_sql(table, fid),
            1,
        ),
    ]
