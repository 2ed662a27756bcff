"""Search the catalogue's records: free text, bbox, time, properties, CQL2, order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import shapely
from pygeofilter import ast
from pygeofilter.backends.native.evaluate import NativeEvaluator

from simpul.catalogue.entries import Entry

#: The queryables of a record, as JSON Schema types.
QUERYABLES: dict[str, dict[str, Any]] = {
    "id": {"type": "string"},
    "title": {"type": "string"},
    "description": {"type": "string"},
    "keywords": {"type": "array", "items": {"type": "string"}},
    "type": {"type": "string"},
    "created": {"type": "string", "format": "date-time"},
    "updated": {"type": "string", "format": "date-time"},
    "accessClass": {"type": "string"},
    "kodeSimpul": {"type": "string"},
    "organisation": {"type": "string"},
}
GEOMETRY = "geometry"


class SearchError(ValueError):
    """The search cannot be answered as asked."""


@dataclass
class Search:
    """One catalogue search; every part is optional."""

    q: str | None = None
    bbox: Sequence[float] = ()
    datetime: str | None = None
    equals: list[tuple[str, str]] = field(default_factory=list)
    filter: Any = None
    sortby: list[tuple[str, bool]] = field(default_factory=list)


def run(entries: Sequence[Entry], search: Search) -> list[Entry]:
    """Return the entries matching *search*, in the order it asks for."""
    tests = [_text(search.q), _bbox(search.bbox), _time(search.datetime)]
    tests += [_equals(name, value) for name, value in search.equals]
    tests.append(_cql(search.filter))
    active = [t for t in tests if t is not None]
    found = [e for e in entries if all(test(e) for test in active)]
    for name, ascending in reversed(search.sortby or [("id", True)]):
        if name not in QUERYABLES:
            raise SearchError(f"cannot sort by {name}")
        found.sort(key=lambda e: _sort_key(e.values.get(name)), reverse=not ascending)
    return found


Test = Callable[[Entry], bool]


def _text(q: str | None) -> Test | None:
    """Match any comma-separated phrase; every word of a phrase must occur."""
    if not q:
        return None
    phrases = [p.lower().split() for p in q.split(",") if p.strip()]
    return lambda e: any(all(w in e.text for w in words) for words in phrases)


def _bbox(bbox: Sequence[float]) -> Test | None:
    """Match records whose geometry meets the bounding box (2D or 3D)."""
    if not bbox:
        return None
    if len(bbox) == 6:
        bbox = (bbox[0], bbox[1], bbox[3], bbox[4])
    box = shapely.box(*bbox[:4])
    return lambda e: e.geometry is not None and e.geometry.intersects(box)


def _time(value: str | None) -> Test | None:
    """Match records whose time span (or creation date) meets *value*."""
    if not value:
        return None
    start, _, end = value.partition("/")
    low = _instant(start, dt.datetime.min)
    high = _instant(end or start, dt.datetime.max)

    def test(entry: Entry) -> bool:
        begin, finish = entry.span
        return begin is not None and begin <= high and (finish or begin) >= low

    return test


def _instant(text: str, open_end: dt.datetime) -> dt.datetime:
    """Parse one end of a datetime parameter; '..' is open."""
    if text in ("", ".."):
        return open_end.replace(tzinfo=dt.UTC)
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise SearchError(f"invalid datetime {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _equals(name: str, value: str) -> Test:
    """Match a property equal to *value*, or a list holding it (case-insensitive)."""
    wanted = value.lower()

    def test(entry: Entry) -> bool:
        have = entry.values.get(name)
        items = have if isinstance(have, list) else [have]
        return any(str(item).lower() == wanted for item in items if item is not None)

    return test


def _cql(node: Any) -> Test | None:
    """Compile a CQL2 tree; refuse properties a record does not have."""
    if node is None:
        return None
    unknown = sorted(_attributes(node) - set(QUERYABLES) - {GEOMETRY})
    if unknown:
        raise SearchError(f"unknown queryables: {', '.join(unknown)}")
    predicate = NativeEvaluator(use_getattr=False).evaluate(node)

    def test(entry: Entry) -> bool:
        try:
            return bool(predicate(entry.values))
        except (TypeError, AttributeError):
            return False  # a comparison with a missing value does not match

    return test


def _attributes(node: Any) -> set[str]:
    """Return the property names a CQL2 tree refers to."""
    if isinstance(node, ast.Attribute):
        return {node.name}
    if isinstance(node, ast.Node):
        return set().union(*(_attributes(n) for n in node.get_sub_nodes()))
    return set()


def _sort_key(value: Any) -> tuple[bool, Any]:
    """Sort missing values last and compare text without case."""
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    if isinstance(value, str):
        value = value.lower()
    return (value is None, value if value is not None else "")
