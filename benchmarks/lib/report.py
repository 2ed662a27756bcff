"""Print a result table and keep the same figures as JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from .paths import RESULTS


def duration(ms: float | None, missing: str = "-") -> str:
    """Return milliseconds as a short text: ms below 10 s, else seconds."""
    if ms is None:
        return missing
    if ms < 1:
        return f"{ms:.3f} ms"
    return f"{ms:.1f} ms" if ms < 10_000 else f"{ms / 1000:.1f} s"


def ratio(a: float | None, b: float | None) -> str:
    """Return a / b as a short factor."""
    if a is None or b is None or b == 0:
        return "-"
    return f"{a / b:.2f}x"


def table(headers: list[str], rows: list[list[str]]) -> str:
    """Return rows as an aligned text table with a header rule."""
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(headers, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    for row in rows:
        lines.append(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    return "\n".join(lines)


def write_json(suite: str, data: dict[str, Any], folder: Path = RESULTS) -> Path:
    """Write *data* to results/<date>-<suite>.json and return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{dt.date.today().isoformat()}-{suite}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return path
