"""The printed ranking: the table, and the footer that lets a reader interpret it without the
project's configuration (thresholds taken from the rows, dashes, base, provisional periods)."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import duckdb
import pandas as pd
import pytest
from rich.console import Console

from carerank.ranking_output import (
    LATER_COLUMNS,
    RANKING_COLUMNS,
    TREND_COLUMNS,
    format_duration,
    format_rate,
    format_share,
    latest_period,
    load_ranking,
    render_table,
)

NAN = math.nan


def ranking_row(**values: Any) -> dict[str, Any]:
    """A ranking row of 2024Q1 on 'all', final, with settings unlike the defaults (so that a
    footer hard-coding the defaults fails), overridden by ``values``."""
    row: dict[str, Any] = {
        "rank": 1,
        "brand_id": "acme",
        "brand_name": "Acme",
        "industry": "retail",
        "country": "FR",
        "questions": 120,
        "answered_questions": 90,
        "response_rate": 0.75,
        "response_rate_ci_low": 0.67,
        "response_rate_ci_high": 0.82,
        "median_response_seconds": 1800.0,
        "p90_response_seconds": 7200.0,
        "mean_response_seconds": 3000.0,
        "customer_posts": 200,
        "socially_devoted": True,
        "ranking_base": "questions",
        "period": "2024Q1",
        "network": "all",
        "period_type": "quarter",
        "period_start": date(2024, 1, 1),
        "period_end": date(2024, 3, 31),
        "base_posts": 120,
        "answered_base_posts": 90,
        "pending_posts": 0,
        "pending_share": 0.0,
        "answered_within_1h_share": 0.5,
        "answered_within_4h_share": 0.625,
        "answered_within_24h_share": 0.7,
        "is_eligible": True,
        "is_provisional": False,
        "pending_in_base": False,
        "min_posts_required": 30,
        "socially_devoted_min_rate": 0.7,
        "socially_devoted_min_questions": 40,
        "horizon_days": 5,
        "response_clock": "wall",
        "previous_rank": 3,
        "rank_change": 2,
        "previous_response_rate": 0.6,
        "response_rate_change": 0.15,
    }
    assert set(row) == {*RANKING_COLUMNS, *TREND_COLUMNS}
    row.update(values)
    return row


def frame(*rows: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=[*RANKING_COLUMNS, *TREND_COLUMNS])


def render(df: pd.DataFrame, period: str = "2024Q1", network: str = "all") -> str:
    console = Console(record=True, width=200)
    render_table(df, period, network, console)
    return console.export_text()


def table_lines(text: str, brand: str) -> str:
    return next(line for line in text.splitlines() if brand in line)


@pytest.fixture
def small_and_new() -> pd.DataFrame:
    """A ranked brand, and a brand below min_posts whose questions are all pending."""
    return frame(
        ranking_row(),
        ranking_row(
            rank=None,
            brand_id="tiny",
            brand_name="Tiny",
            questions=3,
            answered_questions=0,
            base_posts=0,
            answered_base_posts=0,
            pending_posts=3,
            pending_share=1.0,
            response_rate=NAN,
            response_rate_ci_low=NAN,
            response_rate_ci_high=NAN,
            median_response_seconds=NAN,
            p90_response_seconds=NAN,
            answered_within_1h_share=NAN,
            answered_within_4h_share=NAN,
            answered_within_24h_share=NAN,
            socially_devoted=False,
            is_eligible=False,
            is_provisional=True,
        ),
    )


def test_footer_states_the_rules_with_the_thresholds_of_the_data(small_and_new):
    text = render(small_and_new)
    assert "★ Socially Devoted: response rate ≥ 70% over ≥ 40 questions in the period" in text
    assert "months and years apply the quarter's rule" in text
    assert "— in rank: fewer than 30 questions in the base (pending ones left out)" in text
    assert "— elsewhere: no question answered (median, p90)" in text
    assert "Base: questions" in text and "left out of the base" in text
    assert "a first reply within 5 days" in text
    # the defaults appear nowhere: they come from the rows, not from the code
    assert "65%" not in text and "≥ 50" not in text


def test_footer_states_the_clock_of_the_times(small_and_new):
    assert "Clock: wall." in " ".join(render(small_and_new).split())
    business = small_and_new.assign(response_clock="business")
    text = " ".join(render(business).split())
    assert "Clock: business." in text and "public holidays of its country closed" in text


def test_a_copy_without_the_clock_column_reads_as_wall_clock():
    rows = frame(ranking_row()).drop(columns=["response_clock"])
    with duckdb.connect() as con:
        con.register("rows", rows)
        con.execute("create schema marts")
        con.execute("create table marts.rpt_brand_ranking as select * from rows")
        got = load_ranking(con, "2024Q1", "all")
    assert list(got["response_clock"]) == ["wall"]


def test_a_provisional_period_says_so_and_why(small_and_new):
    text = render(small_and_new)
    assert "carerank 2024Q1 · all · base: questions · PROVISIONAL" in text
    provisional = text[text.index("PROVISIONAL:") :]
    assert "within the 5-day horizon of the observation time" in provisional
    assert "3 questions still pending" in provisional
    assert "until the days through 2024-04-05 have landed" in " ".join(provisional.split())


def test_a_final_period_has_no_provisional_mark():
    text = render(frame(ranking_row()))
    assert "carerank 2024Q1 · all · base: questions" in text
    assert "PROVISIONAL" not in text


def test_rows_show_figures_and_dashes(small_and_new):
    text = render(small_and_new)
    ranked = table_lines(text, "Acme").split("│")
    cells = [cell.strip() for cell in ranked if cell.strip()]
    assert cells == [
        "1",
        "Acme",
        "retail",
        "FR",
        "120",
        "90",
        "75% (67%–82%)",
        "30 min",
        "2.0 h",
        "50%",
        "62%",
        "70%",
        "0",
        "★",
        "▲ 2",
    ]
    unranked = [cell.strip() for cell in table_lines(text, "Tiny").split("│") if cell.strip()]
    assert unranked == ["—", "Tiny", "retail", "FR", "0", "0", *["—"] * 6, "3", "—"]


def test_pending_counted_in_the_base_and_a_customer_post_base():
    df = frame(
        ranking_row(
            ranking_base="customer_posts", pending_in_base=True, base_posts=200, pending_posts=4
        )
    )
    text = render(df)
    assert "base: customer posts" in text
    assert "customer posts ┃ answered" in text  # the count column is named after the base
    assert "Pending customer posts" in text and "are counted as not answered" in text
    assert "— in rank: fewer than 30 customer posts in the base" in text
    assert "no customer post at all (rate)" in text
    assert "pending questions counted as not answered" in text  # the badge is over questions


def test_names_are_printed_literally_and_unknown_attributes_are_named():
    text = render(frame(ranking_row(brand_name="[bold]Acme[/bold]", industry=None, country=None)))
    line = table_lines(text, "Acme")
    assert "[bold]Acme[/bold]" in line and "unknown" in line


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(90, "2 min"), (3599, "60 min"), (3600, "1.0 h"), (86399, "24.0 h"), (172800, "2.0 d")],
)
def test_format_duration(seconds, shown):
    assert format_duration(seconds) == shown


def test_missing_values_are_dashes():
    assert format_duration(None) == "—"
    assert format_duration(NAN) == "—"
    assert format_duration(pd.NA) == "—"
    assert format_rate(NAN, NAN, NAN) == "—"
    assert format_share(None) == "—"
    assert format_rate(0.5, 0.4, 0.6) == "50% (40%–60%)"
    assert format_share(0.125) == "12%"


def test_load_ranking_selects_one_period_ranked_first():
    rows = frame(
        ranking_row(rank=None, brand_id="c", is_eligible=False, response_rate=0.9),
        ranking_row(rank=2, brand_id="b", response_rate=0.5),
        ranking_row(rank=1, brand_id="a", industry="telecom", response_rate=0.8),
        ranking_row(period="2023Q4", period_start=date(2023, 10, 1), brand_id="old"),
        ranking_row(network="twitter", brand_id="a"),
    )
    with duckdb.connect() as con:
        con.register("rows", rows)
        con.execute("create schema marts")
        con.execute("create table marts.rpt_brand_ranking as select * from rows")
        assert latest_period(con, "all") == "2024Q1"
        assert latest_period(con, "mastodon") is None
        got = load_ranking(con, "2024Q1", "all")
        assert list(got.columns) == [*RANKING_COLUMNS, *LATER_COLUMNS]
        assert list(got["brand_id"]) == ["a", "b", "c"]
        assert list(load_ranking(con, "2024Q1", "all", industry="retail")["brand_id"]) == [
            "b",
            "c",
        ]


def test_trend_column_says_how_a_brand_moved():
    text = render(
        frame(
            ranking_row(brand_name="Up"),
            ranking_row(rank=2, brand_name="Down", previous_rank=1, rank_change=-1),
            ranking_row(rank=3, brand_name="Same", previous_rank=3, rank_change=0),
            ranking_row(rank=4, brand_name="Newcomer", previous_rank=None, rank_change=None),
        )
    )
    lines = {
        name: line
        for line in text.splitlines()
        for name in ("Up", "Down", "Same", "Newcomer")
        if f" {name} " in line
    }
    assert "▲ 2" in lines["Up"] and "▼ 1" in lines["Down"]
    assert lines["Same"].rstrip(" │").endswith("=") and "new" in lines["Newcomer"]


def test_a_copy_without_trend_columns_still_loads():
    rows = frame(ranking_row()).drop(columns=TREND_COLUMNS)
    with duckdb.connect() as con:
        con.register("rows", rows)
        con.execute("create schema marts")
        con.execute("create table marts.rpt_brand_ranking as select * from rows")
        got = load_ranking(con, "2024Q1", "all")
    assert got[TREND_COLUMNS].isna().all().all()
