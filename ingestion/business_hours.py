"""The weekly opening hours of a brand account, as the registry writes them.

A schedule is a list of clauses separated by ``;``; a clause is days then times::

    mon-fri 08:00-20:00; sat 09:00-14:00
    mon-fri 08:00-12:00,13:00-17:00
    mon,wed-fri 09:00-17:00; sun 00:00-24:00

Days are English three-letter names, single or as a range within one week (``mon-fri``; a range
that wraps past Sunday is written as two); times are ``HH:MM`` in the account's own time zone,
``24:00`` closing at midnight. An empty schedule means always open. The dbt model
int_business_hours reads the same grammar in SQL; this module is the preflight's check of it, so
that a typo is one line naming the file, the line and the value instead of a wrong metric.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EXAMPLE = "mon-fri 08:00-20:00; sat 09:00-14:00"

_TIME = re.compile(r"(\d{1,2}):(\d{2})")


class ScheduleError(ValueError):
    """A schedule that does not follow the grammar, with what is wrong in words."""


@dataclass(frozen=True, order=True)
class OpenSpan:
    """One opening of one weekday (ISO: Monday 1 .. Sunday 7), in seconds after local midnight."""

    weekday: int
    opens: int
    closes: int


def normalise(schedule: str) -> str:
    """Lower case, single spaces, none around ``-`` and ``,``: the form both this parser and the
    SQL one split (so ``Mon - Fri 08:00 - 20:00`` is accepted by both)."""
    text = re.sub(r"\s+", " ", schedule.strip().lower())
    return re.sub(r"\s*([-,])\s*", r"\1", text)


def parse_schedule(schedule: str | None) -> list[OpenSpan]:
    """The open spans of a schedule, sorted; empty for an empty schedule (always open).
    Raises ScheduleError when it does not follow the grammar or two spans of a day overlap."""
    spans: list[OpenSpan] = []
    for clause in normalise(schedule or "").split(";"):
        if clause.strip():
            spans.extend(_parse_clause(clause.strip()))
    spans.sort()
    for before, after in itertools.pairwise(spans):
        if before.weekday == after.weekday and after.opens < before.closes:
            raise ScheduleError(f"two opening times of {WEEKDAYS[before.weekday - 1]} overlap")
    return spans


def _parse_clause(clause: str) -> list[OpenSpan]:
    parts = clause.split(" ")
    if len(parts) != 2:
        raise ScheduleError(f"{clause!r} is not 'days times' (e.g. 'mon-fri 08:00-20:00')")
    days, times = parts
    weekdays = [day for spec in days.split(",") for day in _parse_days(spec)]
    hours = [_parse_times(spec) for spec in times.split(",")]
    return [OpenSpan(day, opens, closes) for day in weekdays for opens, closes in hours]


def _parse_days(spec: str) -> range:
    first, _, last = spec.partition("-")
    start, end = _weekday(first), _weekday(last or first)
    if end < start:
        raise ScheduleError(
            f"day range {spec!r} runs backwards; a week runs mon..sun (write 'fri-sun,mon')"
        )
    return range(start, end + 1)


def _weekday(name: str) -> int:
    if name not in WEEKDAYS:
        raise ScheduleError(f"{name!r} is not a day; use {', '.join(WEEKDAYS)}")
    return WEEKDAYS.index(name) + 1


def _parse_times(spec: str) -> tuple[int, int]:
    first, dash, last = spec.partition("-")
    if not dash:
        raise ScheduleError(f"{spec!r} is not a time range HH:MM-HH:MM")
    opens, closes = _seconds(first), _seconds(last)
    if opens >= 86400 or closes <= opens:
        raise ScheduleError(f"{spec!r} does not close after it opens on the same day")
    return opens, closes


def _seconds(value: str) -> int:
    match = _TIME.fullmatch(value)
    if match is None:
        raise ScheduleError(f"{value!r} is not a time HH:MM")
    hours, minutes = int(match[1]), int(match[2])
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise ScheduleError(f"{value!r} is not a time of day (00:00 .. 24:00)")
    return hours * 3600 + minutes * 60
