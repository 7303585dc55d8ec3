"""The data folder's Dagster instance records a run's events through one connection per database,
in the files and layout of Dagster's own SQLite event log."""

from pathlib import Path

import dagster as dg
import pytest
from dagster._core.storage.event_log.sqlite import sqlite_event_log
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

import orchestration.event_log as event_log
from orchestration.event_log import PooledSqliteEventLogStorage
from orchestration.instance import prepare_dagster_home

CHECKS = 40


def _asset_with_checks() -> dg.JobDefinition:
    """An asset with many checks: a materialisation and a result per check, as a dbt build has."""
    specs = [dg.AssetCheckSpec(f"check_{n}", asset="thing") for n in range(CHECKS)]

    @dg.multi_asset(specs=[dg.AssetSpec("thing")], check_specs=specs)
    def thing():
        yield dg.MaterializeResult(asset_key="thing")
        for spec in specs:
            yield dg.AssetCheckResult(asset_key="thing", check_name=spec.name, passed=True)

    return dg.Definitions(assets=[thing]).resolve_implicit_global_asset_job_def()


def test_a_run_records_its_events_through_kept_connections(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = prepare_dagster_home(tmp_path / "dagster")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    engines: list[str] = []
    stock_engines: list[str] = []
    real_create_engine = event_log.create_engine

    def counting(into: list[str]):
        def create_engine(*args, **kwargs):
            into.append(args[0])
            return real_create_engine(*args, **kwargs)

        return create_engine

    monkeypatch.setattr(event_log, "create_engine", counting(engines))
    # the stock storage's own: one for each event it stores, and one each time it asks whether
    # a table exists (before every check result)
    monkeypatch.setattr(sqlite_event_log, "create_engine", counting(stock_engines))

    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        result = _asset_with_checks().execute_in_process(instance=instance)
        assert result.success
        recorded = instance.all_logs(result.run_id)

    assert len(recorded) > 2 * CHECKS
    # the index and the run's database, each opened once for all the run's events
    assert len(engines) == 2, engines
    # and a table's existence asked once per table, not once per check
    assert len(stock_engines) < 5, stock_engines

    # Dagster's own storage reads the same files where its default puts them
    stock = SqliteEventLogStorage(str(home / "history" / "runs"))
    assert len(stock.get_logs_for_run(result.run_id)) == len(recorded)
    checks = stock.get_asset_check_execution_history(
        dg.AssetCheckKey(dg.AssetKey("thing"), "check_0"), limit=5
    )
    assert [c.run_id for c in checks] == [result.run_id]


def test_only_a_few_databases_stay_open(tmp_path: Path) -> None:
    storage = PooledSqliteEventLogStorage(str(tmp_path))
    for run in range(event_log.KEPT_ENGINES + 5):
        with storage.run_connection(f"run{run}") as conn:
            # write-ahead logged, synced at checkpoints (NORMAL), not at every commit
            assert conn.exec_driver_sql("pragma journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("pragma synchronous").scalar() == 1
    assert len(storage._engines) == event_log.KEPT_ENGINES
    storage.dispose()
    assert not storage._engines


def test_a_wiped_storage_writes_to_new_databases(tmp_path: Path) -> None:
    storage = PooledSqliteEventLogStorage(str(tmp_path))
    with storage.run_connection("run") as conn:
        conn.exec_driver_sql("create table kept (x int)")
    storage.wipe()
    assert not (tmp_path / "run.db").exists()
    with storage.run_connection("run") as conn:
        # a new database: the table made before the wipe is gone with its file
        tables = conn.exec_driver_sql("select name from sqlite_master where name = 'kept'")
        assert tables.fetchall() == []
    assert (tmp_path / "run.db").exists()
    storage.dispose()
