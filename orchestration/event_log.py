"""Dagster's SQLite event log, keeping its database connections open.

Dagster's SQLite event log opens a new engine and connection for every event it stores (two
when the event is an asset's, mirrored into the index database) and disposes of them after it.
A run of carerank records a few hundred events (a materialisation per model, a result per dbt
test), and on the bundled sample that opening and closing cost about a tenth of the run. This
storage is Dagster's in every other respect (the same files, tables and migrations), with one
engine per database kept for the life of the process: the most recently used few, so that a
webserver that reads hundreds of runs' databases does not hold a file open for each.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dagster._config import StringSource
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
)
from dagster._serdes import ConfigurableClassData
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool

# Engines kept open at once: the index database and the run being written, with room for the
# few runs a webserver page reads together.
KEPT_ENGINES = 8


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's SQLite event log with its engines kept open (see the module). Configured with
    the instance's folder (``dagster_home``), where the events go where Dagster's default puts
    them (``history/runs``), so the data folder can move."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None) -> None:
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._tables_present: set[str] = set()
        super().__init__(base_dir, inst_data)

    @classmethod
    def config_type(cls) -> dict[str, Any]:
        return {"dagster_home": StringSource}

    @classmethod
    def from_config_value(  # type: ignore[override]
        cls, inst_data: ConfigurableClassData | None, config_value: dict[str, str]
    ) -> PooledSqliteEventLogStorage:
        base_dir = os.path.join(config_value["dagster_home"], "history", "runs")
        return cls(base_dir, inst_data=inst_data)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def _engine(self, shard: str) -> Engine:
        """The shard's engine, opened once; the least recently used one is closed when more
        than KEPT_ENGINES are open. Called under the storage's lock: a connection is used by
        one thread at a time, whichever thread that is."""
        engine = self._engines.pop(shard, None)
        if engine is None:
            engine = create_engine(
                self.conn_string_for_shard(shard),
                poolclass=QueuePool,
                # one connection at a time (under the lock), and a second while Dagster creates
                # a new database: it inspects the schema beside the connection it holds
                pool_size=1,
                max_overflow=1,
                connect_args={
                    "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
                    "check_same_thread": False,
                },
            )
            event.listen(engine, "connect", _sync_at_checkpoints)
        self._engines[shard] = engine
        while len(self._engines) > KEPT_ENGINES:
            _, oldest = self._engines.popitem(last=False)
            oldest.dispose()
        return engine

    def has_table(self, table_name: str) -> bool:
        """Whether the index database has a table, remembered once it does: Dagster asks before
        storing every asset check result and every tagged event, each time on a new engine.
        Tables only come with a migration and go with a wipe, so an absent one is asked again."""
        if table_name in self._tables_present:
            return True
        present = super().has_table(table_name)
        if present:
            self._tables_present.add(table_name)
        return present

    def wipe(self) -> None:
        """Close the kept engines first: Dagster deletes the databases' files, and an engine
        kept open would go on writing to a deleted file."""
        self._dispose_engines()
        self._tables_present.clear()
        super().wipe()

    def dispose(self) -> None:
        super().dispose()
        self._dispose_engines()

    def _dispose_engines(self) -> None:
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()


def _sync_at_checkpoints(connection: Any, _record: Any) -> None:
    """Each database write-ahead logged (as Dagster means its databases to be: its own switch to
    that mode does not take on a run's database, whose tables it creates in the same
    transaction) and synced at checkpoints rather than at every commit: a run's few hundred
    commits each waited for the disk, twice (milliseconds apiece on a laptop's disk). A process
    that dies loses nothing it committed; a power cut may lose the last events, never the
    database's consistency (SQLite's documented guarantee for this mode and setting)."""
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
