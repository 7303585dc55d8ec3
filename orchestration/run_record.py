"""What the published figures were computed from, kept beside them in the published copy's
``audit`` schema: the rules in force, the input files with their checksums, what was landed and
quarantined, and the checks of the run. A report or a reader of the published file can then
state how to reproduce the numbers without access to the live warehouse or to Dagster.

Only counts and settings: no customer id, handle or text enters these tables."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ingestion.landing import file_sha256
from orchestration.dbt_project import DBT_PROJECT_DIR, RUN_VARS, effective_vars, rule_overrides

if TYPE_CHECKING:
    import duckdb

    from orchestration.settings import Settings

# `name: value  # comment` in dbt_project.yml's vars: the comment is the var's description.
VAR_COMMENT = re.compile(r"^  (\w+):[^#\n]*#\s*(.+)$", re.MULTILINE)


def var_descriptions() -> dict[str, str]:
    """The comments beside the vars in dbt_project.yml, where the rules are documented once."""
    text = (DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8")
    block = text.split("\nvars:", 1)[-1]
    return {name: comment.strip() for name, comment in VAR_COMMENT.findall(block)}


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def run_settings(
    settings: Settings, observed_until: Mapping[str, datetime], run: Mapping[str, str]
) -> pd.DataFrame:
    """One row per setting the figures depend on: every rule var as the run used it, each
    network's observation time, and the run's identity (version, time, window)."""
    described = var_descriptions()
    rules = {
        name: value
        for name, value in effective_vars(rule_overrides(settings)).items()
        if name not in (*RUN_VARS, "brands_file", "accounts_file", "holidays_file")
    }
    rows = [(name, _as_text(value), described.get(name)) for name, value in rules.items()]
    rows += [
        (
            f"observed_until.{network}",
            moment.isoformat(sep=" "),
            "Observation time: posts within the horizon of it are pending, not unanswered.",
        )
        for network, moment in sorted(observed_until.items())
    ]
    rows += [(name, value, None) for name, value in run.items()]
    return pd.DataFrame(rows, columns=["name", "value", "description"], dtype=object)


def carerank_version() -> str:
    try:
        return version("carerank")
    except PackageNotFoundError:  # a source tree that is not installed
        return "unknown"


def run_inputs(con: duckdb.DuckDBPyConnection, settings: Settings) -> pd.DataFrame:
    """Every input file landed so far (the landing zone's source records) and the registry files
    of the run, each with its row count and SHA-256."""
    landed = con.execute(
        "select source, file_name, format, records, sha256, landed_at "
        "from audit.landed_sources order by source"
    ).df()
    registry = [
        {
            "source": role,
            "file_name": path.name,
            "format": "registry csv",
            "records": _csv_rows(path),
            "sha256": file_sha256(path),
            "landed_at": None,
        }
        for role, path in (("brands", settings.brands_file), ("accounts", settings.accounts_file))
        if path is not None and Path(path).is_file()
    ]
    frame = pd.concat([landed, pd.DataFrame(registry, columns=landed.columns)], ignore_index=True)
    return frame.astype({"records": "Int64"})


def _csv_rows(path: Path) -> int:
    """Data rows of a registry CSV (its header excluded)."""
    return len(pd.read_csv(path, dtype=str, keep_default_na=False))


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


# Each network's last staged day, in SQL both targets run (stg_posts is where dbt built it).
LAST_DAYS_SQL = "select network, max(post_date) from staging.stg_posts group by network"


def observation_times(
    last_days: Iterable[tuple[str, date | datetime]], as_of: Any
) -> dict[str, datetime]:
    """Each network's observation time as the models judge pending posts: var as_of, else the
    end of the network's last landed UTC day (``last_days``: network, last staged day)."""
    rows = [(network, _day(day) + timedelta(days=1)) for network, day in last_days]
    if as_of:
        moment = datetime.fromisoformat(str(as_of))
        return {network: moment for network, _ in rows}
    return {network: datetime.combine(day, datetime.min.time()) for network, day in rows}


def landing_counts(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Posts in the landing zone per network, and records quarantined per rule."""
    return {
        "landed_posts": con.execute(
            "select network, count(*) as posts from raw.posts group by network order by network"
        ).df(),
        "quarantine_rules": con.execute(
            "select rule, count(*) as records from audit.quarantine group by rule order by rule"
        ).df(),
    }


def check_results(evaluations: Iterable[Any], monitoring: Collection[str]) -> pd.DataFrame:
    """Dagster's asset check evaluations of the run, one row per check, with its kind: a
    great-expectations suite (named *_suite), one of the ``monitoring`` warnings, or a dbt test."""
    rows = [
        {
            "check_name": evaluation.check_name,
            "asset": evaluation.asset_key.to_user_string(),
            "kind": "great-expectations"
            if evaluation.check_name.endswith("_suite")
            else "monitoring"
            if evaluation.check_name in monitoring
            else "dbt test",
            "passed": bool(evaluation.passed),
            "severity": evaluation.severity.value,
            "description": evaluation.description,
        }
        for evaluation in evaluations
    ]
    columns = ["check_name", "asset", "kind", "passed", "severity", "description"]
    return pd.DataFrame(rows, columns=columns).sort_values(["asset", "check_name"])


def run_identity(run_id: str, window: str) -> dict[str, str]:
    return {
        "carerank_version": carerank_version(),
        "published_at": datetime.now(UTC).isoformat(sep=" ", timespec="seconds"),
        "run_id": run_id,
        "run_window": window,
    }
