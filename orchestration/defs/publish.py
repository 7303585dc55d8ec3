"""Publication for BI tools: after the marts and their blocking checks pass, a consistent copy of
the warehouse is swapped in atomically at CARERANK_PUBLISHED (default:
published/warehouse.duckdb beside the warehouse).

Why a copy: DuckDB lets one process write a file and nobody else open it meanwhile, so a BI tool
on the live file would block the nightly run (or be blocked by it). A tool connected to the
published file keeps reading the previous copy during a run (the rename leaves its open file
intact) and sees the new one when it reconnects; it never sees half-built tables."""

import os
from pathlib import Path

import dagster as dg

from ingestion.readers import sql_literal
from ingestion.warehouse import STORAGE_COMPATIBILITY, connect
from orchestration.defs.dbt import dbt_marts
from orchestration.partitions import daily_partitions
from orchestration.resources import WarehouseResource


def published_path(warehouse: Path) -> Path:
    return Path(
        os.environ.get("CARERANK_PUBLISHED") or warehouse.parent / "published" / warehouse.name
    )


def publish(warehouse: Path) -> tuple[Path, int]:
    """Copy the warehouse into a new file next to the published one, then rename it over it."""
    target = published_path(warehouse)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    with connect(warehouse) as con:
        con.execute(
            f"attach {sql_literal(str(tmp))} as snapshot "
            f"(storage_version {sql_literal(STORAGE_COMPATIBILITY)})"
        )
        source = con.execute("select current_database()").fetchone()[0]
        con.execute(f"copy from database {source} to snapshot")
        tables = con.execute(
            "select count(*) from duckdb_tables() where database_name = 'snapshot'"
        ).fetchone()[0]
        con.execute("detach snapshot")
    os.replace(tmp, target)
    return target, tables


@dg.asset(
    key=dg.AssetKey(["published", "warehouse"]),
    deps=[*dbt_marts.keys],
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool="duckdb",
    group_name="publish",
    kinds={"duckdb"},
    description="The warehouse copy that BI tools read, swapped in only after the marts and "
    "their blocking checks passed.",
)
def published_warehouse(warehouse: WarehouseResource) -> dg.MaterializeResult:
    target, tables = publish(Path(warehouse.path))
    return dg.MaterializeResult(metadata={"path": str(target), "tables": tables})
