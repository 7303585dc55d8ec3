"""The anonymised export: the marts as Parquet and CSV for publication, with a data dictionary.

It reads the published copy (the marts and the registry, swapped in after the last run whose
checks passed), so it never waits for or disturbs a run that writes the warehouse. Nothing in it
lets a reader find a customer or their post: the published copy has no customer id, handle or
text already; the export also drops every post id (a post id is a link to the post, and so to
its author), coarsens the customer posts' timestamps to the hour and the response times to the
minute, and leaves out the replies' timestamps (with a brand's public replies they would give
the customer's post to the second). No exported column needs a
customer's identity, so none carries one, not even hashed. Brand-level tables go out as they are.

The files are written into a new folder next to the target and renamed over it at the end: an
export that fails halfway leaves the previous one intact."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carerank.output_folder import replace_folder
from ingestion.readers import sql_literal
from ingestion.warehouse import connect

EXPORTED_SCHEMA = "marts"
# Columns that point at a single post: dropped from every exported table. The reply's time is
# dropped too: with the brand's public replies it would give the customer's post to the second.
DROPPED_COLUMNS = frozenset(
    {"post_id", "first_reply_post_id", "in_reply_to_post_id", "first_reply_at"}
)
# Timestamps of a customer's post: to the hour.
HOURLY_COLUMNS = frozenset({"created_at"})
# Response times to the minute: exact seconds would single a reply out among the brand's.
MINUTE_COLUMNS = frozenset({"response_seconds"})


class ExportError(ValueError):
    """An export that cannot be made: one line saying why."""


@dataclass(frozen=True)
class ExportedColumn:
    name: str
    type: str
    meaning: str


@dataclass(frozen=True)
class ExportedTable:
    name: str
    rows: int
    meaning: str
    columns: list[ExportedColumn]


def export_anonymised(published: Path, out: Path) -> list[ExportedTable]:
    """Write every mart of the published copy as Parquet and CSV into ``out``, with
    data_dictionary.md and data_dictionary.json; return what was written."""
    if not published.exists():
        raise ExportError(
            f"no published copy at {published} yet: it is published when `carerank run` has "
            "passed its checks"
        )
    if out.exists() and not out.is_dir():
        raise ExportError(f"--out {out}: is a file; give a folder")
    staging = out.with_name(f".{out.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    descriptions = _dbt_descriptions()
    tables = []
    with connect(published, read_only=True) as con:
        names = [
            name
            for (name,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = ? order by 1",
                [EXPORTED_SCHEMA],
            ).fetchall()
        ]
        if not names:
            raise ExportError(f"{published} holds no marts: run `carerank run` first")
        for name in names:
            tables.append(_export_table(con, name, staging, descriptions.get(name, {})))
    _write_dictionary(tables, staging)
    replace_folder(staging, out)
    return tables


def _export_table(con: Any, name: str, folder: Path, described: dict) -> ExportedTable:
    columns = con.execute(
        "select column_name, data_type from duckdb_columns() where schema_name = ? "
        "and table_name = ? order by column_index",
        [EXPORTED_SCHEMA, name],
    ).fetchall()
    kept = [(column, kind) for column, kind in columns if column not in DROPPED_COLUMNS]
    selected = ", ".join(_anonymised(column) for column, _ in kept)
    query = f'select {selected} from {EXPORTED_SCHEMA}."{name}" order by all'
    for suffix, options in (("parquet", "format parquet"), ("csv", "format csv, header true")):
        target = sql_literal(str(folder / f"{name}.{suffix}"))
        con.execute(f"copy ({query}) to {target} ({options})")
    rows = con.execute(f'select count(*) from {EXPORTED_SCHEMA}."{name}"').fetchone()[0]
    column_meanings = described.get("columns", {})
    return ExportedTable(
        name=name,
        rows=rows,
        meaning=described.get("description", ""),
        columns=[
            ExportedColumn(
                column,
                kind,
                column_meanings.get(column, "")
                + (" Truncated to the hour." if column in HOURLY_COLUMNS else "")
                + (" Rounded to the minute." if column in MINUTE_COLUMNS else ""),
            )
            for column, kind in kept
        ],
    )


def _anonymised(column: str) -> str:
    quoted = f'"{column}"'
    if column in HOURLY_COLUMNS:
        return f"date_trunc('hour', {quoted}) as {quoted}"
    if column in MINUTE_COLUMNS:
        return f"round({quoted} / 60) * 60 as {quoted}"
    return quoted


def _dbt_descriptions() -> dict[str, dict]:
    """Each mart's description and its columns' from dbt's manifest: the YAML beside the models
    is the one place a column's meaning is written."""
    from orchestration.dbt_project import ensure_dbt_manifest

    manifest = json.loads(ensure_dbt_manifest().read_text(encoding="utf-8"))
    found = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and node["original_file_path"].startswith(
            "models/marts/"
        ):
            found[node["name"]] = {
                "description": " ".join(node.get("description", "").split()),
                "columns": {
                    c: " ".join(v.get("description", "").split())
                    for c, v in node.get("columns", {}).items()
                },
            }
    return found


def _write_dictionary(tables: list[ExportedTable], folder: Path) -> None:
    document = {
        "about": "carerank marts, anonymised: no customer id, handle, post id or text; "
        "customer posts' timestamps truncated to the hour, response times rounded to the "
        "minute, reply timestamps left out.",
        "tables": [
            {
                "name": t.name,
                "files": [f"{t.name}.parquet", f"{t.name}.csv"],
                "rows": t.rows,
                "meaning": t.meaning,
                "columns": [c.__dict__ for c in t.columns],
            }
            for t in tables
        ],
    }
    (folder / "data_dictionary.json").write_text(json.dumps(document, indent=2) + "\n")
    lines = ["# Data dictionary", "", document["about"], ""]
    for table in tables:
        lines += [f"## {table.name}", "", table.meaning, "", f"{table.rows} rows.", ""]
        lines += ["| column | type | meaning |", "|---|---|---|"]
        lines += [f"| {c.name} | {c.type} | {c.meaning} |" for c in table.columns]
        lines.append("")
    (folder / "data_dictionary.md").write_text("\n".join(lines))
