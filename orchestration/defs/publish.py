"""Publication for BI tools: after the marts and their blocking checks pass, a copy holding the
marts, the brand registry and the run's record (schema audit: rules in force, inputs with their
checksums, landing and check results; orchestration/run_record.py) is swapped in atomically at
CARERANK_PUBLISHED (default: published/warehouse.duckdb beside the warehouse).

Why a copy: DuckDB lets one process write a file and nobody else open it meanwhile, so a BI tool
on the live file would block the nightly run (or be blocked by it). A tool connected to the
published file keeps reading the previous copy during a run (the rename leaves its open file
intact) and sees the new one when it reconnects; it never sees half-built tables.

Why only the marts and the registry, as plain tables: the copy is shared with people who need
the figures, not the customers behind them, and it must work wherever it is copied. Staging and
intermediate tables hold the customers' texts and handles, and raw.posts is a view over the
landing zone's absolute paths; customer-level data stays in the live warehouse."""

import os
import shutil
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd

from ingestion.postgres import PostgresTarget, query_df, read_table, table_columns
from ingestion.readers import sql_literal
from ingestion.storage import LandingZone
from ingestion.warehouse import connect
from orchestration.dbt_project import effective_vars
from orchestration.defs.dbt import dbt_marts
from orchestration.defs.monitoring import (
    customer_post_volume,
    landing_freshness,
    landing_schema_drift,
)
from orchestration.resource_types import WarehouseResource
from orchestration.run_record import (
    LAST_DAYS_SQL,
    check_results,
    landing_counts,
    observation_times,
    run_identity,
    run_inputs,
    run_settings,
)
from orchestration.run_window import run_window
from orchestration.settings import load_settings

# The warnings among the checks (the others block publication): the run record says which.
MONITORING_CHECKS = frozenset(
    key.name
    for check in (landing_schema_drift, customer_post_volume, landing_freshness)
    for key in check.check_keys
)

PUBLISHED_SCHEMAS = ("marts", "registry")
# Columns that identify a customer: never published, whatever table they appear in.
CUSTOMER_COLUMNS = frozenset({"author_id", "author_handle", "author_handle_lower", "text", "raw"})


def publish(
    warehouse: Path,
    target: Path,
    storage_version: str,
    record: Callable[[duckdb.DuckDBPyConnection], Mapping[str, pd.DataFrame]] | None = None,
    postgres: PostgresTarget | None = None,
    landing: LandingZone | None = None,
    memory_limit: str | None = None,
) -> tuple[Path, int]:
    """Copy the marts and the registry into a new file next to ``target``, with the tables of
    ``record`` (given the warehouse's connection) as the schema audit, then rename it over
    ``target``. On the postgres target (``postgres``) the marts and the registry come from
    PostgreSQL, so that every reader of the copy works the same whichever target built it.
    ``landing``: the landing zone that ``record`` reads through the raw views, when on S3;
    ``memory_limit``: DuckDB's for the copy (ingestion.duckdb_memory)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    with connect(warehouse, landing=landing, memory_limit=memory_limit) as con:
        con.execute(
            f"attach {sql_literal(str(tmp))} as snapshot "
            f"(storage_version {sql_literal(storage_version)})"
        )
        for schema in PUBLISHED_SCHEMAS:
            con.execute(f'create schema snapshot."{schema}"')
        if postgres is None:
            tables = _copy_duckdb_tables(con)
        else:
            tables = _copy_postgres_tables(con, postgres)
        for name, frame in (record(con) if record else {}).items():
            con.execute("create schema if not exists snapshot.audit")
            con.register("record_frame", frame)
            con.execute(f'create table snapshot.audit."{name}" as select * from record_frame')
            con.unregister("record_frame")
        con.execute("detach snapshot")
    os.replace(tmp, target)
    return target, len(tables)


def _copy_duckdb_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """The warehouse's published schemas into the attached snapshot, customer columns left."""
    source = con.execute("select current_database()").fetchone()[0]
    tables = con.execute(
        "select schema_name, table_name from duckdb_tables() "
        "where database_name = ? and schema_name in ? order by all",
        [source, list(PUBLISHED_SCHEMAS)],
    ).fetchall()
    for schema, table in tables:
        columns = [
            name
            for (name,) in con.execute(
                "select column_name from duckdb_columns() where database_name = ? "
                "and schema_name = ? and table_name = ? order by column_index",
                [source, schema, table],
            ).fetchall()
            if name not in CUSTOMER_COLUMNS
        ]
        selected = ", ".join(f'"{c}"' for c in columns)
        con.execute(
            f'create table snapshot."{schema}"."{table}" as '
            f'select {selected} from "{source}"."{schema}"."{table}"'
        )
    return tables


def _copy_postgres_tables(
    con: duckdb.DuckDBPyConnection, postgres: PostgresTarget
) -> list[tuple[str, str]]:
    """PostgreSQL's published schemas into the attached snapshot, customer columns left, in
    the DuckDB types the DuckDB target gives them (numeric as double, arrays as lists)."""
    tables = table_columns(postgres, PUBLISHED_SCHEMAS)
    for (schema, table), columns in sorted(tables.items()):
        kept = [(name, type_) for name, type_ in columns if name not in CUSTOMER_COLUMNS]
        con.register("postgres_rows", read_table(postgres, schema, table, kept))
        selected = ", ".join(f'cast("{name}" as {type_}) as "{name}"' for name, type_ in kept)
        con.execute(
            f'create table snapshot."{schema}"."{table}" as select {selected} from postgres_rows'
        )
        con.unregister("postgres_rows")
    return sorted(tables)


def publish_parquet(published: Path) -> Path:
    """Write every mart of the published copy as Parquet into a new folder beside it, then point
    ``parquet`` at it in one atomic step (a symbolic link replaced by rename): a BI tool reading
    the snapshot never sees a half-written one. The previous folder is kept for readers still on
    it; older ones go."""
    base = published.parent
    folder = base / f"parquet.{time.strftime('%Y%m%dT%H%M%S')}.{os.getpid()}"
    folder.mkdir()
    with connect(published, read_only=True) as con:
        for (table,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
        ).fetchall():
            target = sql_literal(str(folder / f"{table}.parquet"))
            con.execute(f'copy marts."{table}" to {target} (format parquet)')
    link = base / "parquet"
    if os.name == "nt":  # no unprivileged symbolic links: swap by renames
        shutil.rmtree(link, ignore_errors=True)
        folder.rename(link)
        return link
    if link.is_dir() and not link.is_symlink():
        # a data folder copied without its links (cp -r, a sync tool): the snapshot became a
        # plain folder, which a link cannot replace; it goes, and the link takes its place
        shutil.rmtree(link)
    previous = link.resolve() if link.is_symlink() else None
    tmp_link = base / ".parquet.link"
    tmp_link.unlink(missing_ok=True)
    tmp_link.symlink_to(folder.name)
    os.replace(tmp_link, link)
    for old in base.glob("parquet.*"):
        if old.is_dir() and old not in (folder, previous):
            shutil.rmtree(old, ignore_errors=True)
    return link


@dg.asset(
    key=dg.AssetKey(["published", "warehouse"]),
    deps=[*dbt_marts.keys],
    pool="duckdb",
    group_name="publish",
    kinds={"duckdb"},
    description="The copy of the marts and the registry that BI tools and `carerank ranking` "
    "read, and a Parquet snapshot of every mart beside it (published/parquet/), swapped in "
    "only after the marts and their blocking checks passed; no customer text, handle or id.",
)
def published_warehouse(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    settings = load_settings().settings
    evaluations = [
        record.event_log_entry.dagster_event.event_specific_data
        for record in context.instance.get_records_for_run(
            context.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
        ).records
    ]

    postgres = warehouse.postgres()

    def record(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
        as_of = effective_vars(settings.dbt_vars).get("as_of")
        identity = run_identity(context.run_id, str(run_window(context) or "every landed day"))
        last_days = (
            query_df(postgres, LAST_DAYS_SQL).itertuples(index=False, name=None)
            if postgres is not None
            else con.execute(LAST_DAYS_SQL).fetchall()
        )
        observed = observation_times(last_days, as_of)
        return {
            "run_settings": run_settings(settings, observed, identity),
            "run_inputs": run_inputs(con, settings),
            **landing_counts(con),
            "check_results": check_results(evaluations, MONITORING_CHECKS),
        }

    target, tables = publish(
        Path(warehouse.path),
        Path(warehouse.published),
        warehouse.storage_version,
        record,
        postgres,
        warehouse.landing(),
        warehouse.memory_limit,
    )
    snapshot = publish_parquet(target)
    return dg.MaterializeResult(
        metadata={"path": str(target), "tables": tables, "parquet": str(snapshot)}
    )
