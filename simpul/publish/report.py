"""What publishing tells the operator: rejections, warnings, progress and a summary."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TextIO

logger = logging.getLogger(__name__)

#: Above this many features, long steps print progress lines.
PROGRESS_THRESHOLD = 50_000


class PublishError(Exception):
    """Input the node refuses to publish; the message is one sentence for the user."""


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """Return '1 feature' or '3 features' (or the plural form given)."""
    return f"{count} {noun}" if count == 1 else f"{count} {nouns or noun + 's'}"


def first_rows(rows: Iterable[int], limit: int = 5) -> str:
    """Return '3, 7, 9' or '3, 7, 9, 12, 15 …' for 1-based row numbers."""
    rows = list(rows)
    text = ", ".join(str(r) for r in rows[:limit])
    return text + (" …" if len(rows) > limit else "")


@dataclass
class Report:
    """Collects warnings and progress while one dataset is published."""

    source: str
    stream: TextIO | None = None
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    _last_step: tuple[str, int] = ("", -1)

    def warn(self, message: str) -> None:
        """Record a warning and show it at once."""
        self.warnings.append(message)
        self._print(f"warning: {message}")

    def note(self, message: str) -> None:
        """Record a fact worth showing in the summary (a repair, a conversion)."""
        self.notes.append(message)
        self._print(message)

    def progress(self, step: str, done: int, total: int) -> None:
        """Print '<step> 40%' at each tenth of a long step."""
        if total < PROGRESS_THRESHOLD:
            return
        tenth = done * 10 // total
        if (step, tenth) != self._last_step:
            self._last_step = (step, tenth)
            self._print(f"{step}: {tenth * 10}% ({done}/{total})")

    def elapsed(self) -> float:
        """Return seconds since publishing started."""
        return time.monotonic() - self.started

    def _print(self, line: str) -> None:
        logger.info("%s: %s", self.source, line)
        out = self.stream if self.stream is not None else sys.stderr
        print(line, file=out, flush=True)
