"""What ``carerank ranking`` reads from the warehouse and prints.

The table has to be readable on its own: a reader who never opened dbt_project.yml must learn
from it what the star, the dashes and the base mean, and whether the period can still change.
So every rule printed in the footer comes from the ranking's own rows: the model stores the
settings it was built with (``min_posts_required``, ``socially_devoted_min_rate``,
``socially_devoted_min_questions``, ``horizon_days``, ``ranking_base``, ``pending_in_base``,
``response_clock``)
beside the figures. The thresholds are written once, as dbt vars, and a build run with other
``--vars`` is described by the numbers it actually used.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import duckdb
import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

DASH = "—"

# The columns the command selects from marts.rpt_brand_ranking, in the order of its csv / json
# output: the columns it has always printed first, so that scripts reading them keep working.
RANKING_COLUMNS: list[str] = [
    "rank",
    "brand_id",
    "brand_name",
    "industry",
    "country",
    "questions",
    "answered_questions",
    "response_rate",
    "response_rate_ci_low",
    "response_rate_ci_high",
    "median_response_seconds",
    "p90_response_seconds",
    "mean_response_seconds",
    "customer_posts",
    "socially_devoted",
    "ranking_base",
    "period",
    "network",
    "period_type",
    "period_start",
    "period_end",
    "base_posts",
    "answered_base_posts",
    "pending_posts",
    "pending_share",
    "answered_within_1h_share",
    "answered_within_4h_share",
    "answered_within_24h_share",
    "is_eligible",
    "is_provisional",
    "pending_in_base",
    "min_posts_required",
    "socially_devoted_min_rate",
    "socially_devoted_min_questions",
    "horizon_days",
    "response_clock",
]

# How a brand moved since the previous period of the same grain; a copy published by an older
# version lacks these columns, and then they are null.
TREND_COLUMNS: list[str] = [
    "previous_rank",
    "rank_change",
    "previous_response_rate",
    "response_rate_change",
]

# Columns a copy published by an older version may lack (then null): trends, what the first
# replies did, and whether automated replies were left out of the times.
LATER_COLUMNS: list[str] = [
    *TREND_COLUMNS,
    "moved_to_private_share",
    "promises_feedback_share",
    "automated_share",
    "automated_out_of_time",
]

# Columns a copy published by an older version lacks, with what they stood for then.
SETTING_DEFAULTS: dict[str, str] = {"response_clock": "'wall'"}

# The SLA windows the table shows, as (column, header).
SLA_SHARES: list[tuple[str, str]] = [
    ("answered_within_1h_share", "≤1h"),
    ("answered_within_4h_share", "≤4h"),
    ("answered_within_24h_share", "≤24h"),
]

# What a base post is called, singular and plural, per var ranking_base.
BASE_NOUNS: dict[str, tuple[str, str]] = {
    "questions": ("question", "questions"),
    "customer_posts": ("customer post", "customer posts"),
    "needs_reply": ("post needing a reply", "posts needing a reply"),
}

# What the base is, after its name in the footer.
BASE_DEFINITIONS: dict[str, str] = {
    "questions": " (customer posts with a question mark)",
    "needs_reply": " (customer posts that need a reply: not thanks, praise, closings or spam)",
}


def latest_period(con: duckdb.DuckDBPyConnection, network: str) -> str | None:
    """The latest quarter ranked on ``network``: the default period, as Socially Devoted ranks
    quarters."""
    row = con.execute(
        "select period from marts.rpt_brand_ranking where period_type = 'quarter' "
        "and network = ? order by period_start desc limit 1",
        [network],
    ).fetchone()
    return row[0] if row else None


def load_ranking(
    con: duckdb.DuckDBPyConnection,
    period: str,
    network: str,
    industry: str | None = None,
    country: str | None = None,
) -> pd.DataFrame:
    """The ranking rows of one period and network (optionally one industry or country), with
    their trends, ranked brands first, then the unranked ones by rate: the order the table is
    read in."""
    stored = {
        name
        for (name,) in con.execute(
            "select column_name from duckdb_columns() "
            "where schema_name = 'marts' and table_name = 'rpt_brand_ranking'"
        ).fetchall()
    }
    later = [column if column in stored else f"null as {column}" for column in LATER_COLUMNS]
    columns = [
        f"{SETTING_DEFAULTS[column]} as {column}"
        if column in SETTING_DEFAULTS and column not in stored
        else column
        for column in RANKING_COLUMNS
    ]
    sql = (
        f"select {', '.join([*columns, *later])} from marts.rpt_brand_ranking "
        "where period = ? and network = ?"
    )
    params: list[Any] = [period, network]
    for column, value in (("industry", industry), ("country", country)):
        if value:
            sql += f" and {column} = ?"
            params.append(value)
    sql += " order by rank nulls last, response_rate desc nulls last, brand_id"
    return con.execute(sql, params).df()


def _trend(row: dict[str, Any]) -> str:
    return DASH if _missing(row["rank"]) else format_trend(row["previous_rank"], row["rank_change"])


def format_trend(previous_rank: Any, rank_change: Any) -> str:
    """▲ 2 (up two places), ▼ 1, = (same rank), or new (no rank in the previous period)."""
    if _missing(previous_rank) or _missing(rank_change):
        return "new"
    change = int(rank_change)
    if change > 0:
        return f"▲ {change}"
    return f"▼ {-change}" if change < 0 else "="


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def format_rate(rate: Any, low: Any, high: Any) -> str:
    """The rate with its 95% Wilson interval, e.g. ``72% (65% to 78%)`` written with an en dash;
    a dash when there is no rate (no post of the base has an outcome yet)."""
    if _missing(rate):
        return DASH
    return f"{rate:.0%} ({low:.0%}–{high:.0%})"


def format_duration(seconds: Any) -> str:
    """A response time in the unit a reader thinks in (minutes, hours, days); a dash when no
    post was answered."""
    if _missing(seconds):
        return DASH
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def format_share(share: Any) -> str:
    """``87%``; a dash when the share has no denominator."""
    return DASH if _missing(share) else f"{share:.0%}"


def format_percent(value: float) -> str:
    """A threshold as a percentage without rounding it away: 0.65 is 65%, 0.655 is 65.5%."""
    return f"{value * 100:g}%"


def _setting(df: pd.DataFrame, column: str) -> Any:
    """A setting the rows were built with (one value per build, so any row holds it)."""
    return df[column].iloc[0]


def _flag(value: Any) -> bool:
    return False if _missing(value) else bool(value)


def is_provisional(df: pd.DataFrame) -> bool:
    """Whether any row of the ranking can still change (its replies may still arrive)."""
    return bool(df["is_provisional"].map(_flag).any())


def base_nouns(df: pd.DataFrame) -> tuple[str, str]:
    """(singular, plural) name of a post of the ranking base."""
    base = str(_setting(df, "ranking_base"))
    return BASE_NOUNS.get(base, (base, base))


def ranking_title(df: pd.DataFrame, period: str, network: str) -> str:
    """``carerank 2024Q1 · all · base: questions``, marked provisional when it can change."""
    title = f"carerank {period} · {network} · base: {base_nouns(df)[1]}"
    return f"{title} · PROVISIONAL" if is_provisional(df) else title


def ranking_footer(df: pd.DataFrame) -> list[str]:
    """The lines under the table: the badge's rule, the dashes, the base and, for a period that
    can still change, why and until when. Every number comes from the rows."""
    one, many = base_nouns(df)
    pending_in_base = _flag(_setting(df, "pending_in_base"))
    min_posts = int(_setting(df, "min_posts_required"))
    min_rate = format_percent(float(_setting(df, "socially_devoted_min_rate")))
    min_questions = int(_setting(df, "socially_devoted_min_questions"))
    horizon = int(_setting(df, "horizon_days"))
    windows = "/".join(header for _, header in SLA_SHARES)
    pending_rule = "counted as not answered" if pending_in_base else "left out"
    lines = [
        f"★ Socially Devoted: response rate ≥ {min_rate} over ≥ {min_questions} questions in "
        f"the period, pending questions {pending_rule}. The badge is defined for a quarter; "
        "months and years apply the quarter's rule unchanged.",
        f"{DASH} in rank: fewer than {min_posts} {many} in the base (pending ones "
        f"{pending_rule}), so not ranked.",
        f"{DASH} elsewhere: no {one} answered (median, p90), "
        + (
            f"no {one} at all (rate), or none with an outcome yet ({windows})."
            if pending_in_base
            else f"or no {one} with an outcome yet (rate, {windows})."
        ),
        f"Base: {many}"
        + BASE_DEFINITIONS.get(str(_setting(df, "ranking_base")), "")
        + f"; answered = a first reply within {horizon} days. Pending {many} (no reply yet, "
        f"{horizon} days not passed) are "
        + ("counted as not answered" if pending_in_base else "left out of the base")
        + f"; {windows} are shares of the {many} with an outcome.",
        clock_line(df),
    ]
    if "automated_out_of_time" in df and df["automated_out_of_time"].fillna(False).any():
        lines.append(
            "Automated and canned first replies answer their posts but are left out of the "
            "median and p90 response times."
        )
    if is_provisional(df):
        pending = int(df["pending_posts"].fillna(0).sum())
        waiting = f" ({pending} {one if pending == 1 else many} still pending)" if pending else ""
        final_day = _final_day(df, horizon)
        until = f" until the days through {final_day.isoformat()} have landed" if final_day else ""
        lines.append(
            f"PROVISIONAL: the period's last posts are within the {horizon}-day horizon of the "
            "observation time (the end of the last landed day, or var as_of), so replies can "
            f"still arrive{waiting}: figures and ranks can change{until}."
        )
    return lines


def clock_line(df: pd.DataFrame) -> str:
    """Which clock the times and SLA shares were read on (the rows' response_clock)."""
    windows = "/".join(header for _, header in SLA_SHARES)
    if str(_setting(df, "response_clock")) == "business":
        return (
            f"Clock: business. Median, p90 and {windows} count only each brand's opening hours "
            "(business_hours of its account, in the account's time zone; public holidays of "
            "its country closed; no hours given: always open). The horizon stays calendar time."
        )
    return f"Clock: wall. Median, p90 and {windows} are calendar time, nights and weekends too."


def _final_day(df: pd.DataFrame, horizon: int) -> date | None:
    """The last day that must be landed for the period to be final: its last day plus the
    horizon (on 'all': for every network with posts in it)."""
    ends = pd.to_datetime(df["period_end"], errors="coerce").dropna()
    if ends.empty:
        return None
    return ends.max().date() + timedelta(days=horizon)


def _text(value: Any) -> Text:
    """A cell taken literally (a brand called ``[bold]`` stays as written)."""
    return Text("unknown" if _missing(value) else str(value))


def _count(value: Any) -> str:
    return DASH if _missing(value) else str(int(value))


def render_table(df: pd.DataFrame, period: str, network: str, console: Console) -> None:
    """Print the ranking rows of one period and network as a table, followed by the footer that
    explains it (see ranking_footer)."""
    many = base_nouns(df)[1]
    table = Table(title=ranking_title(df, period, network))
    headers: Sequence[str] = (
        "rank",
        "brand",
        "industry",
        "country",
        many,
        "answered",
        "rate (95% CI)",
        "median",
        "p90",
        *(header for _, header in SLA_SHARES),
        "pending",
        "badge",
        "trend",
    )
    for header in headers:
        table.add_column(header, justify="left" if header in ("brand", "industry") else "right")
    for row in df.to_dict("records"):
        table.add_row(
            DASH if _missing(row["rank"]) else str(int(row["rank"])),
            _text(row["brand_name"]),
            _text(row["industry"]),
            _text(row["country"]),
            _count(row["base_posts"]),
            _count(row["answered_base_posts"]),
            format_rate(
                row["response_rate"], row["response_rate_ci_low"], row["response_rate_ci_high"]
            ),
            format_duration(row["median_response_seconds"]),
            format_duration(row["p90_response_seconds"]),
            *(format_share(row[column]) for column, _ in SLA_SHARES),
            _count(row["pending_posts"]),
            "★" if _flag(row["socially_devoted"]) else "",
            _trend(row),
        )
    console.print(table)
    for line in ranking_footer(df):
        console.print(Text(line, style="dim"))
