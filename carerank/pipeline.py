"""Run the Dagster asset graph in process: the same assets and checks the nightly schedule runs,
over the days an input covers, as one run recorded in the data folder's Dagster instance."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ingestion.errors import IngestionError
from ingestion.landing import scan_days
from orchestration.dbt_project import ensure_dbt_manifest
from orchestration.gx_validation import worker_running
from orchestration.instance import prepare_dagster_home
from orchestration.run_window import RANGE_END_TAG, RANGE_START_TAG, window_tags
from orchestration.settings import Settings

if TYPE_CHECKING:
    import dagster as dg

JOB_NAME = "carerank_daily"
IMPORT_JOB_NAME = "carerank_import"
# Which process runs a run in process: a run whose process died is failed and its pool slots
# released by the next run, instead of holding the "duckdb" pool (and the next run) forever.
PID_TAG = "carerank/pid"
HOST_TAG = "carerank/host"


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
    failure_messages: list[str] = field(default_factory=list)

    @property
    def blocking_failures(self) -> list[CheckOutcome]:
        return [c for c in self.checks if not c.passed and c.severity == "ERROR"]

    @property
    def warnings(self) -> list[CheckOutcome]:
        return [c for c in self.checks if not c.passed and c.severity != "ERROR"]


def failure_line(message: str) -> str:
    """The line of a failed step's error that says what went wrong: dbt's own error (dagster-dbt
    lists them after "Errors parsed from dbt logs:"), else the error's first line."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    if "Errors parsed from dbt logs:" in lines:
        parsed = lines[lines.index("Errors parsed from dbt logs:") + 1 :]
        useful = [
            line
            for line in parsed
            if not line.startswith(("Encountered an error", "compiled code at", "> called by"))
        ]
        if useful:
            return " ".join(useful[:2])
    return lines[0] if lines else "the step failed"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def release_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Fail the runs of this machine's carerank processes that ended without finishing (killed,
    power cut) and release their concurrency slots; return their ids."""
    import dagster as dg

    released = []
    active = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING]
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=active)):
        pid, host = run.tags.get(PID_TAG), run.tags.get(HOST_TAG)
        if pid is None or host != socket.gethostname() or _alive(int(pid)):
            continue
        instance.report_run_failed(run, "the carerank process running it ended unfinished")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        released.append(run.run_id)
    return released


def covered_days(
    inputs: list[Path], fmt: str, memory_limit: str | None = None
) -> tuple[date, date] | None:
    """The UTC days that the inputs' readable records cover."""
    spans = [span for path in inputs if (span := scan_days(path, fmt, memory_limit)) is not None]
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
    fetch_apis: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> PipelineOutcome:
    """Land ``inputs`` and build the days ``start`` to ``end`` (default: the days the inputs
    cover) in one in-process Dagster run. ``on_step(event, step, total_steps)`` follows the
    run's steps (for progress bars). ``full_refresh`` rebuilds the models from all landed data
    instead of the window. ``fetch_apis`` also fetches the window's days from the networks'
    APIs switched on (their assets are the only ones partitioned by day). While another run
    writes the same warehouse this one waits, after telling ``on_wait`` why."""
    settings.export()
    # great-expectations gets ready in a process of its own while this one prepares the run
    with worker_running():
        start, end = run_window(inputs, fmt, start, end, settings.duckdb_memory_limit)
        ensure_dbt_manifest()
        definitions = load_definitions()
        if not verbose:
            _quiet_library_logs()
        job = choose_job(definitions, fetch_apis)
        prepare_dagster_home(settings.dagster_home)
        with one_writer(settings.warehouse, on_wait):
            result = _execute(
                job,
                settings.dagster_home,
                run_config(inputs, fmt, source, full_refresh, verbose),
                run_tags(start, end, by_partition=job.name == JOB_NAME),
                verbose,
                on_step,
            )
    return pipeline_outcome(result, start, end)


@contextlib.contextmanager
def one_writer(warehouse: Path, on_wait: Callable[[str], None] | None) -> Iterator[None]:
    """Hold the warehouse's writer lock (a lock file beside it) for a whole run. Dagster's
    "duckdb" pool keeps two runs' steps from writing at the same moment, but not from
    interleaving (one run's landing between another's facts and ranking); a second run started
    by hand waits for the first to finish instead. The operating system drops the lock of a
    process that dies, so a killed run never blocks the next one."""
    from filelock import FileLock, Timeout

    lock = FileLock(f"{warehouse}.lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if on_wait:
            on_wait(
                f"another carerank run is writing {warehouse}: waiting for it to finish "
                "(Ctrl-C stops this one; it has written nothing yet)"
            )
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


def run_window(
    inputs: list[Path],
    fmt: str,
    start: date | None,
    end: date | None,
    memory_limit: str | None = None,
) -> tuple[date, date]:
    """The days a run builds: those given, else the days the inputs cover, else yesterday (a run
    that lands no file, such as a backfill of the inbox)."""
    if start is None or end is None:
        span = covered_days(inputs, fmt, memory_limit) if inputs else None
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
    return start, end


def _quiet_library_logs() -> None:
    """Libraries log to the root logger (GX, dagster-dbt): the command line reports what matters
    itself. A root handler set up now also stops later basicConfig calls from adding one."""
    logging.basicConfig(level=logging.ERROR)
    for handler in logging.getLogger().handlers:
        handler.setLevel(logging.ERROR)


def choose_job(definitions: dg.Definitions, fetch_apis: bool) -> dg.JobDefinition:
    """The daily job when the run fetches from the networks' APIs and their assets are defined
    (some network is switched on); otherwise the import job, the daily job without them."""
    asset_keys = definitions.resolve_asset_graph().get_all_asset_keys()
    fetches = fetch_apis and any(key.path[0] == "landing" for key in asset_keys)
    return definitions.resolve_job_def(JOB_NAME if fetches else IMPORT_JOB_NAME)


def run_tags(start: date, end: date, by_partition: bool) -> dict[str, str]:
    """The window, and the process running the run (so that a later run can tell it died). The
    API assets are partitioned by day: a run that fetches covers the window's partitions."""
    tags = window_tags(start, end) | {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}
    if by_partition:
        tags |= {RANGE_START_TAG: start.isoformat(), RANGE_END_TAG: end.isoformat()}
    return tags


def run_config(
    inputs: list[Path], fmt: str, source: str | None, full_refresh: bool, verbose: bool
) -> dict:
    """The files the landing asset lands, the dbt build's mode and the loggers' levels."""
    return {
        "ops": {
            "raw__posts": {
                "config": {"paths": [str(p) for p in inputs], "format": fmt, "source": source}
            },
            "dbt_facts": {"config": {"full_refresh": full_refresh}},
            "dbt_marts": {"config": {"full_refresh": full_refresh}},
        },
        "loggers": {
            # the command line reports failures itself, in one line; Dagster's own report
            # (with the stack trace) is for --verbose
            "console": {"config": {"log_level": "DEBUG" if verbose else "CRITICAL"}},
            "progress": {},
        },
    }


def _execute(
    job: dg.JobDefinition,
    dagster_home: Path,
    config: dict,
    tags: dict[str, str],
    verbose: bool,
    on_step: Callable[[str, str, int], None] | None,
) -> dg.ExecuteInProcessResult:
    """Run ``job`` in process in the data folder's Dagster instance, after failing the runs whose
    process died, with ``on_step`` told of every step."""
    import dagster as dg

    from orchestration.defs.loggers import PROGRESS_LISTENERS

    total_steps = len(job.graph.node_dict)
    listener = (lambda event, step: on_step(event, step, total_steps)) if on_step else None
    if listener:
        PROGRESS_LISTENERS.append(listener)
    # dagster-dbt echoes every dbt event to stdout (for Dagster's compute logs); on the command
    # line that is noise unless asked for: the failure report says what went wrong.
    try:
        with (
            contextlib.nullcontext() if verbose else contextlib.redirect_stdout(io.StringIO()),
            dg.DagsterInstance.from_config(str(dagster_home)) as instance,
        ):
            release_dead_runs(instance)
            return job.execute_in_process(
                run_config=config, instance=instance, tags=tags, raise_on_error=False
            )
    finally:
        if listener:
            PROGRESS_LISTENERS.remove(listener)


def pipeline_outcome(result: dg.ExecuteInProcessResult, start: date, end: date) -> PipelineOutcome:
    """What the command line reports of a finished run: its failed steps and why, the rows
    landed and quarantined, and every check's result."""
    outcome = PipelineOutcome(
        success=result.success, first_day=start, last_day=end, run_id=result.run_id
    )
    _record_step_failures(outcome, result)
    landing = result.asset_materializations_for_node("raw__posts")
    if landing:
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


def _record_step_failures(outcome: PipelineOutcome, result: dg.ExecuteInProcessResult) -> None:
    """A failed step's own description (a landing that quarantined too much says how many rows),
    else the line of its error that says what went wrong."""
    for event in result.all_events:
        if not event.is_step_failure:
            continue
        outcome.failed_steps.append(event.step_key or "?")
        data = event.step_failure_data
        described = data.user_failure_data.description if data.user_failure_data else None
        if described:
            outcome.failure_messages.append(described)
            quarantined = data.user_failure_data.metadata.get("rows_quarantined")
            if quarantined is not None:
                outcome.rows_quarantined = int(quarantined.value)
        elif data.error is not None:
            outcome.failure_messages.append(failure_line(data.error.message))
