"""great-expectations on a DataFrame, in this process or in a worker process of its own.

Importing great-expectations and building its context costs seconds of pure Python, which in a
small run sat on the run's critical path: a thread cannot overlap it, since the run's own Python
holds the interpreter. ``carerank run`` therefore starts a worker process as it begins, which
imports GX and builds its context on the other core while the run lands and builds; the checks
then send it their samples. Where no worker was started (the UI's runs, tests), GX runs in this
process. Only plain values cross between processes: a DataFrame in, ``GxOutcome`` records out.

This module imports nothing heavy at its top, so that the worker starts with GX alone.
"""

from __future__ import annotations

import contextlib
import functools
import json
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

_worker: ProcessPoolExecutor | None = None


@dataclass(frozen=True)
class GxOutcome:
    """GX's verdict on one expectation: what the checks report of it."""

    type: str
    kwargs: dict[str, Any]
    success: bool
    result: dict[str, Any]
    exception_info: dict[str, Any]


def gx_outcomes(
    df: pd.DataFrame,
    suite_name: str,
    config: dict[str, Any],
    parameters: dict[str, Any] | None = None,
) -> list[GxOutcome]:
    """GX's verdict on each expectation of the suite ``config`` on ``df``, in the order of the
    suite's file; in the worker when one runs."""
    return gx_outcomes_started(df, suite_name, config, parameters)()


def gx_outcomes_started(
    df: pd.DataFrame,
    suite_name: str,
    config: dict[str, Any],
    parameters: dict[str, Any] | None = None,
) -> Callable[[], list[GxOutcome]]:
    """``gx_outcomes``, sent to the worker at once (when one runs) so that the caller can do
    its own work while GX validates; the function returned waits for the verdicts."""
    future = None
    if _worker is not None:
        try:
            future = _worker.submit(validate_here, df, suite_name, config, parameters)
        except BrokenProcessPool:
            stop_worker()

    def verdicts() -> list[GxOutcome]:
        if future is not None:
            try:
                return future.result()
            except BrokenProcessPool:
                # the worker could not start (a script that starts a run without a
                # `if __name__ == "__main__"` guard is run again by it, and refused) or died:
                # the checks still run, here
                stop_worker()
        return validate_here(df, suite_name, config, parameters)

    return verdicts


def start_worker() -> None:
    """Start the worker, which imports GX and builds its context at once (a no-op when it runs)."""
    global _worker
    if _worker is None:
        _worker = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_prepare_worker,
        )
        _worker.submit(int)  # a worker process starts with its first task


def _prepare_worker() -> None:
    """In the worker: end with the run's process, however that ends (killed, its machine out of
    memory), instead of waiting for work forever; import GX and build its context; at exit, end
    without freeing GX's objects one by one (half a second the run would wait for), as the
    worker writes nothing."""
    import atexit
    import sys
    import threading

    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()
    gx_context()

    def exit_at_once() -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

    atexit.register(exit_at_once)


def _exit_with(parent_sentinel: int) -> None:
    """Wait until the parent process has ended, then end this one."""
    from multiprocessing.connection import wait

    wait([parent_sentinel])
    os._exit(0)


@contextlib.contextmanager
def worker_running() -> Iterator[None]:
    """The worker started for a block and stopped after it, however the block ends: a worker
    left running would keep the process from ending."""
    start_worker()
    try:
        yield
    finally:
        stop_worker()


def stop_worker() -> None:
    """Stop the worker (if any); later validations run in this process."""
    global _worker
    if _worker is not None:
        worker, _worker = _worker, None
        worker.shutdown(wait=True, cancel_futures=True)


def validate_here(
    df: pd.DataFrame,
    suite_name: str,
    config: dict[str, Any],
    parameters: dict[str, Any] | None = None,
) -> list[GxOutcome]:
    """GX's verdicts, computed in this process."""
    from great_expectations.core.expectation_suite import ExpectationSuite
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    context = gx_context()
    # the suite as its file says now (a run may follow an edit of it), under a fresh name
    if config["name"] in {existing.name for existing in context.suites.all()}:
        context.suites.delete(config["name"])
    suite = context.suites.add(
        ExpectationSuite(
            name=config["name"],
            expectations=[ExpectationConfiguration(**e) for e in config["expectations"]],
        )
    )
    source = context.data_sources.get("carerank")
    asset = (
        source.get_asset(suite_name)
        if suite_name in {a.name for a in source.assets}
        else source.add_dataframe_asset(suite_name)
    )
    batch = (
        asset.get_batch_definition("partition_window")
        if "partition_window" in {d.name for d in asset.batch_definitions}
        else asset.add_batch_definition_whole_dataframe("partition_window")
    ).get_batch(batch_parameters={"dataframe": df})
    result = batch.validate(suite, expectation_parameters=parameters or {}, result_format="SUMMARY")
    by_id = {item.expectation_config.id: item for item in result.results}
    # GX reports the expectations in an order of its own
    return [_outcome(by_id[expectation.id]) for expectation in suite.expectations]


def _outcome(item: Any) -> GxOutcome:
    config = item.expectation_config
    return GxOutcome(
        type=config.type,
        kwargs={k: v for k, v in config.kwargs.items() if k != "batch_id"},
        success=bool(item.success),
        result=_plain_json(item.result),
        exception_info=_plain_json(item.exception_info or {}),
    )


def _plain_json(value: Any) -> dict[str, Any]:
    """GX's dicts as JSON values (dates and numpy numbers as JSON has them)."""
    return json.loads(json.dumps(value, default=_json_default))


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if hasattr(value, "to_json_dict"):
        return value.to_json_dict()
    return str(value)


@functools.cache
def gx_context() -> Any:
    """One ephemeral great-expectations context per process, with carerank's pandas data
    source: building a context costs about a second, and a run validates several suites."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False, "metric_calculations": False}
    context.data_sources.add_pandas("carerank")
    return context
