"""Loggers of every job: Dagster's console logger, and a progress logger through which the
command line's progress bars follow a run executed in process."""

import logging
from collections.abc import Callable

import dagster as dg

STEP_EVENTS = {"STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED"}
# Callbacks (event type, step key) registered by whoever runs a job in this process.
PROGRESS_LISTENERS: list[Callable[[str, str], None]] = []


class _ProgressHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_meta", {}).get("dagster_event")
        if event is not None and event.event_type_value in STEP_EVENTS:
            for listener in list(PROGRESS_LISTENERS):
                listener(event.event_type_value, event.step_key or "")


@dg.logger(description="Reports step completions to in-process listeners (progress bars).")
def progress_logger(_init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.Logger("carerank.progress", level=logging.DEBUG)
    logger.addHandler(_ProgressHandler())
    return logger


@dg.definitions
def loggers() -> dg.Definitions:
    return dg.Definitions(
        loggers={"console": dg.colored_console_logger, "progress": progress_logger}
    )
