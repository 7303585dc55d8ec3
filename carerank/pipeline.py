"""Run the Dagster asset graph in process: the same assets and checks the nightly schedule runs,
over the daily partitions an input covers, as one run (a single-run backfill)."""

from __future__ import annotations

import contextlib
import io
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ingestion.errors import IngestionError
from ingestion.landing import scan_days
from orchestration.settings import DBT_PROJECT_DIR, Settings

if TYPE_CHECKING:
    import dagster as dg

JOB_NAME = "carerank_daily"
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


@dataclass
class CheckOutcome:
    asset: str
    name: str
    passed: bool
    severity: str
    description: str | None = None
    failures: list | None = None


@dataclass
class PipelineOutcome:
    success: bool
    first_day: date
    last_day: date
    run_id: str
    rows_landed: int = 0
    rows_quarantined: int = 0
    checks: list[CheckOutcome] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    log_tail: list[str] = field(default_factory=list)
    failure_messages: list[str] = field(default_factory=list)

    @property
    def blocking_failures(self) -> list[CheckOutcome]:
        return [c for c in self.checks if not c.passed and c.severity == "ERROR"]

    @property
    def warnings(self) -> list[CheckOutcome]:
        return [c for c in self.checks if not c.passed and c.severity != "ERROR"]


def ensure_dbt_manifest() -> Path:
    """dagster-dbt needs dbt's manifest before the definitions load; parse when it is missing or
    older than the project's files (after a pull or an edit)."""
    manifest = DBT_PROJECT_DIR / "target" / "manifest.json"
    sources = [
        p
        for folder in ("models", "macros", "seeds", "tests")
        for p in (DBT_PROJECT_DIR / folder).rglob("*")
        if p.is_file()
    ] + [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    newest = max(p.stat().st_mtime for p in sources)
    if manifest.exists() and manifest.stat().st_mtime >= newest:
        return manifest
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(
        [
            "parse",
            "--quiet",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
        ]
    )
    if not result.success:
        raise RuntimeError(f"dbt parse failed: {result.exception}")
    return manifest


def covered_days(inputs: list[Path], fmt: str) -> tuple[date, date] | None:
    """The UTC days that the inputs' readable records cover."""
    spans = [span for path in inputs if (span := scan_days(path, fmt)) is not None]
    if not spans:
        return None
    return min(s[0] for s in spans), max(s[1] for s in spans)


def load_definitions() -> dg.Definitions:
    from orchestration.definitions import defs

    return defs() if callable(defs) else defs


def run_pipeline(
    settings: Settings,
    inputs: list[Path],
    fmt: str = "auto",
    source: str | None = None,
    start: date | None = None,
    end: date | None = None,
    verbose: bool = False,
    on_step: Callable[[str, str, int], None] | None = None,
    full_refresh: bool = False,
) -> PipelineOutcome:
    """Land ``inputs`` and build every partition from ``start`` to ``end`` (default: the days the
    inputs cover) in one in-process Dagster run. ``on_step(event, step, total_steps)`` follows
    the run's steps (for progress bars). ``full_refresh`` rebuilds the models from all landed
    data instead of the window."""
    settings.export()
    if start is None or end is None:
        span = covered_days(inputs, fmt) if inputs else None
        if span is None and inputs:
            raise IngestionError(
                "no readable record in the input (see the quarantine after landing); "
                "pass --start and --end to land it anyway"
            )
        yesterday = date.today() - timedelta(days=1)
        start = start or (span[0] if span else yesterday)
        end = end or (span[1] if span else yesterday)
    if end < start:
        raise IngestionError(f"--end {end} is before --start {start}")
    ensure_dbt_manifest()

    import dagster as dg

    definitions = load_definitions()
    if not verbose:
        # Libraries log to the root logger (GX, dagster-dbt): the CLI reports what matters
        # itself. A root handler set up now also stops later basicConfig calls from adding one.
        logging.basicConfig(level=logging.ERROR)
        for handler in logging.getLogger().handlers:
            handler.setLevel(logging.ERROR)
    job = definitions.resolve_job_def(JOB_NAME)
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else None
    run_config = {
        "ops": {
            "raw__posts": {
                "config": {"paths": [str(p) for p in inputs], "format": fmt, "source": source}
            },
            "dbt_facts": {"config": {"full_refresh": full_refresh}},
        },
        "loggers": {
            "console": {"config": {"log_level": "DEBUG" if verbose else "ERROR"}},
            "progress": {},
        },
    }
    from orchestration.defs.loggers import PROGRESS_LISTENERS

    total_steps = len(job.graph.node_dict)
    listener = (lambda event, step: on_step(event, step, total_steps)) if on_step else None
    if listener:
        PROGRESS_LISTENERS.append(listener)
    # dagster-dbt echoes every dbt event to stdout (for Dagster's compute logs); on the command
    # line that is noise unless asked for, and kept for the failure report otherwise.
    echoed = io.StringIO()
    with contextlib.nullcontext() if verbose else contextlib.redirect_stdout(echoed):
        result = job.execute_in_process(
            run_config=run_config,
            instance=instance or dg.DagsterInstance.ephemeral(),
            tags={RANGE_START_TAG: start.isoformat(), RANGE_END_TAG: end.isoformat()},
            raise_on_error=False,
        )
    if listener:
        PROGRESS_LISTENERS.remove(listener)
    outcome = PipelineOutcome(
        success=result.success,
        first_day=start,
        last_day=end,
        run_id=result.run_id,
        log_tail=echoed.getvalue().splitlines()[-40:],
    )
    for event in result.all_events:
        if event.is_step_failure:
            outcome.failed_steps.append(event.step_key or "?")
            data = event.step_failure_data
            described = data.user_failure_data.description if data.user_failure_data else None
            if described:
                outcome.failure_messages.append(described)
    landing = result.asset_materializations_for_node("raw__posts")
    if landing:  # one event per partition of the range, all with the run's metadata
        outcome.rows_landed = int(landing[0].metadata["rows_landed"].value)
        outcome.rows_quarantined = int(landing[0].metadata["rows_quarantined"].value)
    for evaluation in result.get_asset_check_evaluations():
        failures = evaluation.metadata.get("failures")
        outcome.checks.append(
            CheckOutcome(
                asset=evaluation.asset_key.to_user_string(),
                name=evaluation.check_name,
                passed=evaluation.passed,
                severity=evaluation.severity.value,
                description=evaluation.description,
                failures=failures.value if failures is not None else None,
            )
        )
    return outcome
