"""The schedule grammar of brand accounts' business_hours, as the preflight checks it."""

import pytest

from ingestion.business_hours import OpenSpan, ScheduleError, normalise, parse_schedule

H = 3600


def test_days_ranges_and_several_spans_a_day():
    spans = parse_schedule("mon-fri 08:00-12:00,13:00-17:00; sat 09:00-14:00")
    assert len(spans) == 11
    assert spans[:2] == [OpenSpan(1, 8 * H, 12 * H), OpenSpan(1, 13 * H, 17 * H)]
    assert spans[-1] == OpenSpan(6, 9 * H, 14 * H)


def test_day_lists_midnight_close_and_loose_spelling():
    spans = parse_schedule(" Mon , Wed - Thu  9:30 - 24:00 ;; sun 00:00-24:00; ")
    assert spans == [
        OpenSpan(1, 9 * H + 1800, 24 * H),
        OpenSpan(3, 9 * H + 1800, 24 * H),
        OpenSpan(4, 9 * H + 1800, 24 * H),
        OpenSpan(7, 0, 24 * H),
    ]
    assert normalise(" Mon , Wed - Thu  9:30 - 24:00") == "mon,wed-thu 9:30-24:00"


@pytest.mark.parametrize("empty", ["", "   ", None, ";"])
def test_no_hours_is_always_open(empty):
    assert parse_schedule(empty) == []


@pytest.mark.parametrize(
    ("schedule", "reason"),
    [
        ("mon-fri", "is not 'days times'"),
        ("monday 08:00-20:00", "'monday' is not a day"),
        ("fri-mon 08:00-20:00", "runs backwards"),
        ("mon 08:00", "is not a time range"),
        ("mon 0800-2000", "'0800' is not a time HH:MM"),
        ("mon 08:60-20:00", "is not a time of day"),
        ("mon 08:00-24:30", "is not a time of day"),
        ("mon 20:00-08:00", "does not close after it opens"),
        ("mon 24:00-24:00", "does not close after it opens"),
        ("mon-fri 08:00-20:00; fri 19:00-21:00", "two opening times of fri overlap"),
    ],
)
def test_malformed_schedules_say_what_is_wrong(schedule, reason):
    with pytest.raises(ScheduleError) as excinfo:
        parse_schedule(schedule)
    assert reason in str(excinfo.value)
