"""``carerank report``: a static HTML report of one period and network that can be published as
it is: ``index.html`` with its charts inline and every chart and table beside it as SVG, PNG and
CSV. It opens from disk without a network.

The folder is written beside its target (``.<out>.partial``) and swapped in whole, so a report
that fails halfway leaves the previous one as it was."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from carerank.output_folder import replace_folder, staging_folder
from carerank.ranking_output import base_nouns, is_provisional, ranking_footer, ranking_title
from carerank.report import charts, tables
from carerank.report.data import ReportData, ReportError, load_report_data, open_published
from carerank.report.methodology import Methodology, build_methodology
from carerank.report.page import render_page

__all__ = ["ReportError", "ReportResult", "write_report"]

# The audit tables shown in the data-quality section: (table, heading, columns shown, folded).
# The checks are folded away (a run has dozens; the failed ones are named above the table).
AUDIT_SECTIONS: list[tuple[str, str, list[str], bool]] = [
    ("landed_posts", "Posts landed per network", ["network", "posts"], False),
    ("quarantine_rules", "Records quarantined, by rule", ["rule", "records"], False),
    (
        "check_results",
        "Checks of the last run",
        ["check_name", "asset", "kind", "passed", "severity", "description"],
        True,
    ),
]


@dataclass(frozen=True)
class ReportResult:
    out: Path
    period: str
    network: str
    provisional: bool
    ranked: int
    thin: int
    files: list[str]


def write_report(
    published: Path, out: Path, period: str | None, network: str, top: int
) -> ReportResult:
    """Write the report of ``period`` (default: the latest quarter) on ``network`` into the
    folder ``out``, showing ranks up to ``top`` (0: all), from the published copy."""
    if out.exists() and not out.is_dir():
        raise ReportError(f"--out {out}: is a file; give a folder")
    with open_published(published) as con:
        data = load_report_data(con, period, network, top)
    staging = staging_folder(out)
    try:
        _write(data, staging, top)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    replace_folder(staging, out)
    return ReportResult(
        out=out,
        period=data.period,
        network=network,
        provisional=is_provisional(data.ranking),
        ranked=len(data.ranked),
        thin=len(data.thin),
        files=sorted(p.name for p in out.iterdir()),
    )


def _write(data: ReportData, folder: Path, top: int) -> None:
    drawn = [
        charts.rate_vs_time(data.ranked, folder),
        charts.sla_by_industry(data.industries, folder),
        charts.response_times(data.response_seconds, folder, data.network),
        charts.rank_history(data.history, folder, data.period_type),
    ]
    methodology = build_methodology(data.audit, data.ranking)
    quality = tables.data_quality(data.audit)
    csvs: dict[str, pd.DataFrame | None] = {
        "ranking": tables.ranking_csv(data),
        "thin_brands": tables.thin_csv(data),
        "sla_by_industry": data.industries,
        "methodology": methodology.settings,
        "input_files": methodology.inputs,
        "data_quality": quality,
        **{name: data.audit.get(name) for name, *_ in AUDIT_SECTIONS},
    }
    for name, frame in csvs.items():
        if frame is not None:
            frame.to_csv(folder / f"{name}.csv", index=False)
    page = _page(data, top, drawn, methodology, quality)
    (folder / "index.html").write_text(page, encoding="utf-8")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _records(frame: pd.DataFrame | None) -> list[dict] | None:
    """Rows for the template, missing values as empty cells."""
    if frame is None:
        return None
    return frame.astype(object).where(frame.notna(), "").to_dict("records")


def _page(
    data: ReportData,
    top: int,
    drawn: list[charts.Chart],
    methodology: Methodology,
    quality: pd.DataFrame | None,
) -> str:
    ranking = data.ranking
    footer = ranking_footer(ranking)
    provisional = is_provisional(ranking)
    shown = tables.ranking_rows(data, top)
    return render_page(
        title=ranking_title(ranking, data.period, data.network),
        period=data.period,
        period_type=data.period_type,
        period_start=ranking["period_start"].min().date().isoformat(),
        period_end=ranking["period_end"].max().date().isoformat(),
        network=data.network,
        base=base_nouns(ranking)[1],
        provisional=provisional,
        provisional_note=_sentence(footer[-1].removeprefix("PROVISIONAL: ")) if provisional else "",
        footer=footer[:-1] if provisional else footer,
        ranking_rows=shown,
        shown_note=(
            f"{len(shown)} of {len(data.ranked)} ranked brands shown (ranks 1 to {top})."
            if top > 0 and len(shown) < len(data.ranked)
            else f"All {len(data.ranked)} ranked brands shown."
        ),
        min_posts=int(ranking["min_posts_required"].iloc[0]),
        thin_rows=_records(tables.thin_csv(data)),
        charts=drawn,
        sla_rows=tables.sla_rows(data.industries),
        quality=_records(quality),
        audit_sections=AUDIT_SECTIONS,
        audit={name: _records(data.audit.get(name)) for name, *_ in AUDIT_SECTIONS},
        methodology=methodology,
        inputs=_records(methodology.inputs),
        settings=_records(methodology.settings),
    )
