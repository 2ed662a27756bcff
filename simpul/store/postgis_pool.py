"""A bounded pool of PostgreSQL connections with a statement timeout on each.

Every server process holds one pool per database. Its size stays below what the
database allows for all processes together, every statement runs under a
timeout, and database errors become the store's errors.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
import psycopg_pool
from psycopg import errors
from psycopg.sql import Composable

from .base import StoreError, StoreTimeout, StoreUnavailable

LOGGER = logging.getLogger(__name__)

#: Seconds a broken pool slot keeps retrying before a new request tries afresh.
RECONNECT_SECONDS = 5.0
#: Share of the database's connection slots all server processes may hold.
BUDGET_SHARE = 0.8


@dataclass(frozen=True)
class PoolSettings:
    """Sizes and timeouts, from SIMPUL_DB_* environment variables."""

    size: int = 8
    wait_seconds: float = 5.0
    statement_timeout_ms: int = 15_000
    processes: int = 1

    @classmethod
    def from_env(cls) -> PoolSettings:
        """Return the settings the environment gives, defaults elsewhere."""
        env = os.environ.get
        return cls(
            size=int(env("SIMPUL_DB_POOL_SIZE", cls.size)),
            wait_seconds=float(env("SIMPUL_DB_POOL_TIMEOUT", cls.wait_seconds)),
            statement_timeout_ms=int(
                env("SIMPUL_DB_STATEMENT_TIMEOUT_MS", cls.statement_timeout_ms)
            ),
            processes=int(env("WEB_CONCURRENCY", cls.processes)),
        )


class MissingTable(StoreError):
    """A table the statement names is not there (yet, or any more)."""


class Database:
    """Run read statements on pooled, read-only connections."""

    def __init__(self, url: str, settings: PoolSettings | None = None) -> None:
        self.settings = settings or PoolSettings.from_env()
        # JIT compilation costs more than the short statements a node runs gain
        # from it: a z12 tile statement spent 0.8 s compiling and 0.4 s running.
        options = (
            f"-c statement_timeout={self.settings.statement_timeout_ms}"
            " -c default_transaction_read_only=on -c jit=off"
        )
        self.pool = psycopg_pool.ConnectionPool(
            url,
            kwargs={"autocommit": True, "options": options, "connect_timeout": 5},
            min_size=1,
            max_size=max(1, self.settings.size),
            timeout=self.settings.wait_seconds,
            reconnect_timeout=RECONNECT_SECONDS,
            name="simpul",
            open=False,
        )
        self.pool.open(wait=False)
        self._budget_checked = threading.Event()

    def rows(
        self,
        sql: str | Composable,
        params: Sequence[Any] | Mapping[str, Any] = (),
        binary: bool = False,
    ) -> list[tuple]:
        """Run one statement and return its rows; raise the store's errors."""
        LOGGER.debug("SQL %s %s", sql, params)
        for attempt in (1, 2):
            try:
                with self.pool.connection() as conn:
                    if not self._budget_checked.is_set():
                        self._check_budget(conn)
                    return conn.execute(sql, params, binary=binary).fetchall()
            except errors.QueryCanceled as err:
                raise StoreTimeout(
                    "the query ran longer than the node allows "
                    f"({self.settings.statement_timeout_ms / 1000:g} s)"
                ) from err
            except psycopg_pool.PoolTimeout as err:
                raise StoreUnavailable("the database cannot be reached") from err
            except psycopg.OperationalError as err:
                # Connections idle across a database restart are dead: drop them
                # all and try once more before giving up.
                if attempt == 1:
                    self.pool.check()
                    continue
                raise StoreUnavailable("the database cannot be reached") from err
            except errors.UndefinedTable as err:
                raise MissingTable(str(err)) from err
            except psycopg.Error as err:
                raise StoreError(f"the database could not answer: {err}") from err
        raise AssertionError("unreachable")

    def _check_budget(self, conn: psycopg.Connection) -> None:
        """Shrink the pool when all processes' pools would exceed the database."""
        row = conn.execute(
            "SELECT current_setting('max_connections')::int"
            " - current_setting('superuser_reserved_connections')::int"
        ).fetchone()
        budget = int((row[0] if row else 0) * BUDGET_SHARE)
        per_process = max(1, budget // max(1, self.settings.processes))
        if self.settings.size > per_process:
            LOGGER.warning(
                "pool of %d connections x %d processes exceeds the database's "
                "%d usable connections; using %d per process",
                self.settings.size,
                self.settings.processes,
                budget,
                per_process,
            )
            self.pool.resize(min_size=1, max_size=per_process)
        self._budget_checked.set()

    def close(self) -> None:
        """Close every connection of the pool."""
        self.pool.close()
