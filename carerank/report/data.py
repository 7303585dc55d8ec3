"""What the report reads from the published copy: the ranking of one period and network, the
industry benchmarks, the response times behind the histogram, the ranks of earlier periods and
the run's audit tables.

Everything comes from the published copy (opened read-only), the one swapped in after the last
run whose checks passed, so a report can be made while a run writes the live warehouse. That copy
holds no customer id, handle, post id or text, so neither can the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from carerank.ranking_output import latest_period, load_ranking
from ingestion.warehouse import connect

# The audit tables of the last run, in the order the report shows them; a copy published by an
# older version has none of them.
AUDIT_TABLES: list[str] = [
    "run_settings",
    "run_inputs",
    "landed_posts",
    "quarantine_rules",
    "check_results",
]


class ReportError(ValueError):
    """A report that cannot be made: one line saying why."""


@dataclass
class ReportData:
    """Everything one report shows."""

    period: str
    network: str
    period_type: str
    ranking: pd.DataFrame
    industries: pd.DataFrame
    response_seconds: pd.Series
    history: pd.DataFrame
    audit: dict[str, pd.DataFrame | None] = field(default_factory=dict)
    trends_recorded: bool = True

    @property
    def ranked(self) -> pd.DataFrame:
        return self.ranking[self.ranking["rank"].notna()]

    @property
    def thin(self) -> pd.DataFrame:
        return self.ranking[self.ranking["rank"].isna()]


def open_published(published: Path) -> duckdb.DuckDBPyConnection:
    if not published.exists():
        raise ReportError(
            f"no published copy at {published} yet: it is published when `carerank run` has "
            "passed its checks"
        )
    return connect(published, read_only=True)


def load_report_data(
    con: duckdb.DuckDBPyConnection, period: str | None, network: str, top: int
) -> ReportData:
    """The report's data for ``period`` (default: the latest quarter of ``network``), with the
    rank history of the brands the table shows (the ``top`` ranks; 0: all)."""
    period = resolve_period(con, period, network)
    ranking = load_ranking(con, period, network)
    period_type = str(ranking["period_type"].iloc[0])
    shown = top_rows(ranking, top)
    return ReportData(
        period=period,
        network=network,
        period_type=period_type,
        ranking=ranking,
        industries=industry_benchmarks(con, period_type, period, network),
        response_seconds=response_seconds(con, ranking, network),
        history=rank_history(con, period_type, network, ranking, list(shown["brand_id"])),
        audit={name: audit_table(con, name) for name in AUDIT_TABLES},
        trends_recorded="rank_change" in _columns(con, "marts", "rpt_brand_ranking"),
    )


def resolve_period(con: duckdb.DuckDBPyConnection, period: str | None, network: str) -> str:
    """The period asked for, checked against those the ranking holds for the network."""
    available = [
        p
        for (p,) in con.execute(
            "select period from marts.rpt_brand_ranking where network = ? "
            "group by period, period_type, period_start "
            "order by period_type = 'quarter' desc, period_type, period_start",
            [network],
        ).fetchall()
    ]
    if not available:
        raise ReportError(f"--network {network}: the ranking has no rows for it")
    if period is None:
        return latest_period(con, network) or available[-1]
    if period not in available:
        raise ReportError(
            f"--period {period}: not in the ranking; available: {', '.join(available)}"
        )
    return period


def top_rows(ranking: pd.DataFrame, top: int) -> pd.DataFrame:
    """The ranked rows the report's table shows: ranks up to ``top`` (0: every rank). Ranks are
    dense, so brands tied at the last rank shown are all shown."""
    ranked = ranking[ranking["rank"].notna()]
    return ranked if top <= 0 else ranked[ranked["rank"] <= top]


def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "select column_name from duckdb_columns() where schema_name = ? and table_name = ? "
            "order by column_index",
            [schema, table],
        ).fetchall()
    ]


def industry_benchmarks(
    con: duckdb.DuckDBPyConnection, period_type: str, period: str, network: str
) -> pd.DataFrame:
    """Per industry: brands, ranked brands and SLA attainment (rpt_industry_benchmarks)."""
    return con.execute(
        "select industry, brands, brands_ranked, base_posts, answered_within_1h_share, "
        "answered_within_4h_share, answered_within_24h_share, response_rate_median, "
        "median_response_seconds, socially_devoted_share from marts.rpt_industry_benchmarks "
        "where period_type = ? and period = ? and network = ? order by industry",
        [period_type, period, network],
    ).df()


def response_seconds(
    con: duckdb.DuckDBPyConnection, ranking: pd.DataFrame, network: str
) -> pd.Series:
    """The response times of the answered posts of the ranking base in the period (every network
    for 'all'): the posts the table's medians are over."""
    start, end = ranking["period_start"].min(), ranking["period_end"].max()
    base = str(ranking["ranking_base"].iloc[0])
    in_base = {"questions": "is_question", "needs_reply": "coalesce(needs_reply, true)"}
    return con.execute(
        "select response_seconds from marts.fct_customer_posts where status = 'answered' "
        "and response_seconds is not null and post_date between ? and ? "
        f"and (? = 'all' or network = ?) and {in_base.get(base, 'true')}",
        [start, end, network, network],
    ).df()["response_seconds"]


def rank_history(
    con: duckdb.DuckDBPyConnection,
    period_type: str,
    network: str,
    ranking: pd.DataFrame,
    brand_ids: list[str],
) -> pd.DataFrame:
    """The ranks of ``brand_ids`` in every period of the same grain up to the report's."""
    if not brand_ids:
        return pd.DataFrame(columns=["period", "period_start", "brand_id", "brand_name", "rank"])
    return con.execute(
        "select period, period_start, brand_id, brand_name, rank from marts.rpt_brand_ranking "
        "where period_type = ? and network = ? and period_start <= ? "
        "and list_contains(?, brand_id) order by period_start, brand_id",
        [period_type, network, ranking["period_start"].min(), brand_ids],
    ).df()


def audit_table(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame | None:
    """An audit table of the last run, or None when the copy was published without it."""
    if not _columns(con, "audit", name):
        return None
    return con.execute(f'select * from audit."{name}" order by all').df()
