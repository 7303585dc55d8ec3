"""Publication for BI tools: after the marts and their blocking checks pass, a copy holding the
marts and the brand registry is swapped in atomically at CARERANK_PUBLISHED (default:
published/warehouse.duckdb beside the warehouse).

Why a copy: DuckDB lets one process write a file and nobody else open it meanwhile, so a BI tool
on the live file would block the nightly run (or be blocked by it). A tool connected to the
published file keeps reading the previous copy during a run (the rename leaves its open file
intact) and sees the new one when it reconnects; it never sees half-built tables.

Why only the marts and the registry, as plain tables: the copy is shared with people who need
the figures, not the customers behind them, and it must work wherever it is copied. Staging and
intermediate tables hold the customers' texts and handles, and raw.posts is a view over the
landing zone's absolute paths; customer-level data stays in the live warehouse."""

import os
from pathlib import Path

import dagster as dg

from ingestion.readers import sql_literal
from ingestion.warehouse import connect
from orchestration.defs.dbt import dbt_marts
from orchestration.resource_types import WarehouseResource

PUBLISHED_SCHEMAS = ("marts", "registry")
# Columns that identify a customer: never published, whatever table they appear in.
CUSTOMER_COLUMNS = frozenset({"author_id", "author_handle", "author_handle_lower", "text", "raw"})


def publish(warehouse: Path, target: Path, storage_version: str) -> tuple[Path, int]:
    """Copy the marts and the registry into a new file next to ``target``, then rename it over
    ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    with connect(warehouse) as con:
        con.execute(
            f"attach {sql_literal(str(tmp))} as snapshot "
            f"(storage_version {sql_literal(storage_version)})"
        )
        source = con.execute("select current_database()").fetchone()[0]
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where database_name = ? and schema_name in ? order by all",
            [source, list(PUBLISHED_SCHEMAS)],
        ).fetchall()
        for schema in PUBLISHED_SCHEMAS:
            con.execute(f'create schema snapshot."{schema}"')
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
        con.execute("detach snapshot")
    os.replace(tmp, target)
    return target, len(tables)


@dg.asset(
    key=dg.AssetKey(["published", "warehouse"]),
    deps=[*dbt_marts.keys],
    pool="duckdb",
    group_name="publish",
    kinds={"duckdb"},
    description="The copy of the marts and the registry that BI tools and `carerank ranking` "
    "read, swapped in only after the marts and their blocking checks passed; no customer "
    "text, handle or id.",
)
def published_warehouse(warehouse: WarehouseResource) -> dg.MaterializeResult:
    target, tables = publish(
        Path(warehouse.path), Path(warehouse.published), warehouse.storage_version
    )
    return dg.MaterializeResult(metadata={"path": str(target), "tables": tables})
