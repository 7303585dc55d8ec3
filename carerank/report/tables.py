"""The report's tables, each written as ``<name>.csv`` beside the page and shown in it: the
ranking, the brands too thin to rank, SLA attainment by industry and the data-quality summary
(posts landed, records quarantined, checks run)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from carerank.ranking_output import (
    DASH,
    RANKING_COLUMNS,
    TREND_COLUMNS,
    _flag,
    _missing,
    format_duration,
    format_rate,
    format_share,
    format_trend,
)
from carerank.report.data import ReportData, top_rows

THIN_COLUMNS: list[str] = [
    "brand_id",
    "brand_name",
    "industry",
    "country",
    "customer_posts",
    "base_posts",
    "min_posts_required",
]


def ranking_csv(data: ReportData) -> pd.DataFrame:
    """Every ranked brand with the columns of `carerank ranking --format csv` and its trend."""
    return data.ranked[[*RANKING_COLUMNS, *TREND_COLUMNS]]


def thin_csv(data: ReportData) -> pd.DataFrame:
    """The brands with posts in the period but too few in the base to be ranked."""
    return data.thin[THIN_COLUMNS]


def ranking_rows(data: ReportData, top: int) -> list[dict[str, str]]:
    """The rows of the page's ranking table, formatted for a reader."""
    return [
        {
            "rank": str(int(row["rank"])),
            "brand": str(row["brand_name"]),
            "industry": DASH if _missing(row["industry"]) else str(row["industry"]),
            "base_posts": str(int(row["base_posts"])),
            "rate": format_rate(
                row["response_rate"], row["response_rate_ci_low"], row["response_rate_ci_high"]
            ),
            "median": format_duration(row["median_response_seconds"]),
            "badge": "★" if _flag(row["socially_devoted"]) else "",
            "trend": (
                format_trend(row["previous_rank"], row["rank_change"])
                if data.trends_recorded
                else DASH
            ),
        }
        for row in top_rows(data.ranking, top).to_dict("records")
    ]


def sla_rows(industries: pd.DataFrame) -> list[dict[str, str]]:
    return [
        {
            "industry": str(row["industry"]),
            "brands": f"{int(row['brands_ranked'])} of {int(row['brands'])}",
            "within_1h": format_share(row["answered_within_1h_share"]),
            "within_4h": format_share(row["answered_within_4h_share"]),
            "within_24h": format_share(row["answered_within_24h_share"]),
            "median": format_duration(row["median_response_seconds"]),
        }
        for row in industries.to_dict("records")
    ]


def data_quality(audit: dict[str, pd.DataFrame | None]) -> pd.DataFrame | None:
    """The last run's data quality in a few figures (None when the copy has no audit tables)."""
    landed, quarantined, checks = (
        audit.get(name) for name in ("landed_posts", "quarantine_rules", "check_results")
    )
    if landed is None and quarantined is None and checks is None:
        return None
    rows: list[tuple[str, Any]] = []
    if landed is not None:
        rows.append(("posts landed", int(landed["posts"].sum())))
        rows += [
            (f"posts landed on {n}", int(p))
            for n, p in zip(landed["network"], landed["posts"], strict=True)
        ]
    if quarantined is not None:
        rows.append(("records quarantined", int(quarantined["records"].sum())))
    if checks is not None:
        passed = checks["passed"].map(_flag)
        rows.append(("checks run", len(checks)))
        rows.append(("checks passed", int(passed.sum())))
        rows.append(("checks failed", int((~passed).sum())))
    return pd.DataFrame(rows, columns=["measure", "value"])
