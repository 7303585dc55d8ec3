"""The report's methodology: how each number was made, stated from the settings the run was
built with, so that a reader can reproduce them.

The settings come from the published copy's ``audit.run_settings`` (every dbt var in force, the
observation time of each network and carerank's version) and the files from
``audit.run_inputs`` (name, format, records and sha256 of each file landed). A copy published by
an older version has neither: the rules the ranking rows carry themselves (base, horizon,
minimum, badge) are then stated from the rows, and the rest is said to be not recorded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from carerank.ranking_output import _flag, base_nouns, format_percent

NOT_RECORDED = "not recorded"

# Settings that every ranking row carries: (setting name, ranking column).
FROM_ROWS: list[tuple[str, str]] = [
    ("ranking_base", "ranking_base"),
    ("pending_in_base", "pending_in_base"),
    ("horizon_days", "horizon_days"),
    ("min_posts", "min_posts_required"),
    ("socially_devoted_min_rate", "socially_devoted_min_rate"),
    ("socially_devoted_min_questions", "socially_devoted_min_questions"),
]


@dataclass(frozen=True)
class Methodology:
    """Sentences for the reader, the settings table (methodology.csv) and the input files
    (input_files.csv; None when not recorded)."""

    recorded: bool
    statements: list[str]
    settings: pd.DataFrame
    inputs: pd.DataFrame | None


def settings_table(run_settings: pd.DataFrame | None, ranking: pd.DataFrame) -> pd.DataFrame:
    """Every setting with its value, meaning and where the report read it."""
    if run_settings is not None and not run_settings.empty:
        table = run_settings[["name", "value", "description"]].copy()
        table["source"] = "audit.run_settings"
        return table.reset_index(drop=True)
    first = ranking.iloc[0]
    return pd.DataFrame(
        [
            {
                "name": name,
                "value": str(first[column]),
                "description": f"read from the ranking rows ({column})",
                "source": "marts.rpt_brand_ranking",
            }
            for name, column in FROM_ROWS
        ]
    )


def build_methodology(audit: dict[str, pd.DataFrame | None], ranking: pd.DataFrame) -> Methodology:
    settings = settings_table(audit.get("run_settings"), ranking)
    values = dict(zip(settings["name"], settings["value"], strict=True))
    inputs = audit.get("run_inputs")
    return Methodology(
        recorded=audit.get("run_settings") is not None,
        statements=statements(values, ranking),
        settings=settings,
        inputs=inputs,
    )


def _value(values: dict[str, Any], name: str) -> str:
    value = values.get(name)
    return NOT_RECORDED if value is None or pd.isna(value) else str(value)


def statements(values: dict[str, Any], ranking: pd.DataFrame) -> list[str]:
    """One sentence per rule, each number taken from the settings (or the rows)."""
    many = base_nouns(ranking)[1]
    first = ranking.iloc[0]
    pending_in_base = _flag(first["pending_in_base"])
    marks = values.get("question_marks")
    question_rule = (
        f" (a question is a customer post whose text holds one of {marks})" if marks else ""
    )
    attribution = {k: v for k, v in values.items() if "attribution" in k}
    observed = {k.split(".", 1)[1]: v for k, v in values.items() if k.startswith("observed_until.")}
    return [
        f"Ranking base: {many} (setting ranking_base = {first['ranking_base']}){question_rule}.",
        f"Answered: the brand's first reply came within {int(first['horizon_days'])} days "
        "(horizon_days). A post without a reply whose horizon has not passed at the observation "
        "time is pending and is "
        + ("counted as not answered." if pending_in_base else "left out of the base."),
        "Attribution: a customer post counts for a brand when it mentions one of the brand's "
        "handles or replies to one of its posts; one post can count for several brands"
        + (
            " (" + ", ".join(f"{k} = {v}" for k, v in sorted(attribution.items())) + ")."
            if attribution
            else "."
        ),
        f"Ranked: brands with at least {int(first['min_posts_required'])} {many} in the period "
        "(min_posts), by response rate descending, then median response time ascending (dense "
        "ranks). The others are listed apart, not ranked.",
        "Interval: the Wilson score interval of the response rate over the base, with z = "
        f"{_value(values, 'confidence_z')} (confidence_z; 1.96 is 95%).",
        f"Badge ★ Socially Devoted: response rate ≥ "
        f"{format_percent(float(first['socially_devoted_min_rate']))} over ≥ "
        f"{int(first['socially_devoted_min_questions'])} questions in the period.",
        "Observation time (a network's posts are judged as of then): "
        + (
            ", ".join(f"{network} {time}" for network, time in sorted(observed.items()))
            if observed
            else NOT_RECORDED
        )
        + ".",
        *measure_statements(values),
        f"Built by carerank {_value(values, 'carerank_version')}; the input files and every "
        "setting in force are listed below.",
    ]


def _on(values: dict[str, Any], name: str) -> bool:
    return str(values.get(name)).lower() in ("true", "1", "yes")


def measure_statements(values: dict[str, Any]) -> list[str]:
    """The clock, the reply links and the automated replies the figures were computed with."""
    clock = values.get("response_clock") or "wall"
    return [
        "Clock: "
        + (
            "business time: response times and SLA shares count only each brand's opening "
            "hours in its account's time zone, public holidays of its country closed "
            "(response_clock = business)."
            if clock == "business"
            else "calendar time (response_clock = wall)."
        ),
        "Replies: "
        + (
            "direct replies, and brand posts without a reply link that address the customer "
            "within the horizon (implicit_replies = true)."
            if _on(values, "implicit_replies")
            else "only posts that carry the reply link (implicit_replies = false)."
        ),
        "Automated replies: a first reply whose template (text without handles, links, "
        "numbers, signature) went to at least "
        f"{_value(values, 'automation_min_copies')} posts within "
        f"{_value(values, 'automation_window_hours')} hours; "
        + (
            "they answer their posts but are left out of the response times "
            "(exclude_automated_from_time = true)."
            if _on(values, "exclude_automated_from_time")
            else "counted like any reply (exclude_automated_from_time = false)."
        ),
    ]
