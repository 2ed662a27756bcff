"""numberMatched that stays cheap on large tables.

An unfiltered layer's count is the registry's. A filtered count is exact when
the planner expects fewer rows than a threshold, and then computed once per
query and kept; above it, or when counting runs out of time, the planner's
estimate is returned and marked as such.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from typing import Any

from .base import Layer, Matched, StoreTimeout
from .postgis_dialect import PostGISDialect
from .postgis_pool import Database

#: Planner row estimates from which counts are no longer exact.
EXACT_BELOW = 500_000
#: Distinct filtered queries whose counts each server process keeps.
CACHE_SIZE = 2048


class MatchCounter:
    """Count the features matching a WHERE condition, once per query."""

    def __init__(self, db: Database, exact_below: int | None = None) -> None:
        self.db = db
        self.exact_below = (
            exact_below
            if exact_below is not None
            else int(os.environ.get("SIMPUL_COUNT_EXACT_BELOW", EXACT_BELOW))
        )
        self._cache: OrderedDict[tuple, Matched] = OrderedDict()
        self._lock = threading.Lock()

    def matched(self, layer: Layer, where: str, params: list[Any]) -> Matched:
        """Return how many rows of *layer* meet *where*, exactly or estimated."""
        if not where:
            return Matched(layer.count)
        key = (layer.table, where, tuple(params))
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]

        table = PostGISDialect().ident(layer.table)
        result = None
        if layer.count >= self.exact_below:
            result = self._estimate(table, where, params)
            if result.count < self.exact_below:
                result = None
        if result is None:
            try:
                sql = f"SELECT count(*) FROM {table} WHERE {where}"
                result = Matched(int(self.db.rows(sql, params)[0][0]))
            except StoreTimeout:
                result = self._estimate(table, where, params)
        self._keep(key, result)
        return result

    def _estimate(self, table: str, where: str, params: list[Any]) -> Matched:
        """Return the planner's estimate of the rows meeting *where*."""
        sql = f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {table} WHERE {where}"
        plan = self.db.rows(sql, params)[0][0]
        return Matched(int(plan[0]["Plan"]["Plan Rows"]), exact=False)

    def _keep(self, key: tuple, result: Matched) -> None:
        with self._lock:
            self._cache[key] = result
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
