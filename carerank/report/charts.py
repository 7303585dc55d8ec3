"""The report's charts, drawn with matplotlib and written as SVG (inlined in the page) and PNG.

Brand and industry names are user data, so the drawing must take them literally: mathtext is
off (a ``$`` in a name would otherwise be parsed, and an unbalanced one raises), and SVG text
stays text (``svg.fonttype = 'none'``), which matplotlib escapes as XML, so a name holding markup
shows as that markup's characters. Every artist that draws data gets a ``marks-…`` gid: the SVG
then carries an element with that id, which the browser test counts to tell a chart with data
from an empty frame. The figures are attached to the Agg canvas explicitly: no display is needed
or touched. Nothing here is random: the SVG ids come from a salt named after the chart, so the
same data write the same files, and two charts inlined in one page never share an id."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from markupsafe import Markup
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import (
    FixedFormatter,
    FixedLocator,
    MaxNLocator,
    NullFormatter,
    PercentFormatter,
)

from carerank.ranking_output import SLA_SHARES

# Settings every chart is drawn with; see the module's docstring for why.
STYLE: dict[str, object] = {
    "text.parse_math": False,
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
}
SIZE = (7.5, 4.2)  # inches: the page's column width at 100 dpi
PNG_DPI = 120
# Ticks of the time axes: seconds and label.
DURATION_TICKS: dict[float, str] = {
    10: "10 s",
    60: "1 min",
    300: "5 min",
    900: "15 min",
    3600: "1 h",
    4 * 3600: "4 h",
    86400: "1 d",
    7 * 86400: "7 d",
}


@dataclass(frozen=True)
class Chart:
    """A drawn chart: its file stem (also its element id in the page), its heading, a sentence
    saying how to read it, and its SVG markup to inline."""

    name: str
    title: str
    caption: str
    svg: Markup


@contextmanager
def _figure() -> Iterator[tuple[Figure, Axes]]:
    with mpl.rc_context(STYLE):
        figure = Figure(figsize=SIZE, layout="constrained")
        FigureCanvasAgg(figure)
        yield figure, figure.add_subplot()


def _save(figure: Figure, name: str, title: str, caption: str, folder: Path) -> Chart:
    """Write ``<name>.svg`` and ``<name>.png`` and return the SVG to inline, its root element
    named after the chart so that the page (and its tests) can find it."""
    svg_file = folder / f"{name}.svg"
    with mpl.rc_context({**STYLE, "svg.hashsalt": name}):
        figure.savefig(svg_file, format="svg", metadata={"Date": None})
        figure.savefig(folder / f"{name}.png", format="png", dpi=PNG_DPI)
    markup = svg_file.read_text(encoding="utf-8")
    markup = markup[markup.index("<svg") :]  # the XML declaration and doctype stay in the file
    attributes = (
        f'<svg id="chart-{name}" class="chart" role="img" aria-label="{html.escape(title)}"'
    )
    return Chart(name, title, caption, Markup(re.sub(r"^<svg\b", attributes, markup, count=1)))


def _mark(artists: object, prefix: str) -> None:
    """Give each drawn artist of a call a unique ``marks-`` gid (see the module's docstring)."""
    flat = list(artists) if isinstance(artists, list | tuple) else [artists]
    for i, artist in enumerate(flat):
        artist.set_gid(f"marks-{prefix}-{i}")


def _duration_axis(ax: Axes, seconds: pd.Series) -> None:
    """A log axis of seconds with ticks at durations a reader thinks in (1 min, 10 min, 1 h…),
    labelled in their units: powers of ten seconds (17 min, 2.8 h) would have to be converted."""
    ax.set_xscale("log")
    low, high = seconds.min(), seconds.max()
    ticks = [t for t in DURATION_TICKS if low / 3 <= t <= high * 3] or list(DURATION_TICKS)
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FixedFormatter([DURATION_TICKS[t] for t in ticks]))
    ax.xaxis.set_minor_formatter(NullFormatter())


def _nothing_to_draw(ax: Axes, message: str) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)


def industry_colours(industries: list[str]) -> dict[str, tuple]:
    """One colour per industry, the same in every chart of the report."""
    palette = mpl.colormaps["tab10"]
    return {name: palette(i % palette.N) for i, name in enumerate(sorted(industries))}


def rate_vs_time(ranked: pd.DataFrame, folder: Path) -> Chart:
    """(a) Response rate against median response time, one point per ranked brand."""
    title = "Response rate and median response time"
    caption = (
        "One point per ranked brand, coloured by industry; the vertical bar is the rate's 95% "
        "Wilson interval. Up is more answers, left is faster ones; the time axis is logarithmic."
    )
    points = ranked.dropna(subset=["response_rate", "median_response_seconds"])
    with _figure() as (figure, ax):
        if points.empty:
            _nothing_to_draw(ax, "No ranked brand answered a post in this period")
            return _save(figure, "rate_vs_time", title, caption, folder)
        colours = industry_colours(points["industry"].fillna("unknown").unique().tolist())
        for i, (industry, group) in enumerate(points.groupby(points["industry"].fillna("unknown"))):
            errors = [
                group["response_rate"] - group["response_rate_ci_low"],
                group["response_rate_ci_high"] - group["response_rate"],
            ]
            drawn = ax.errorbar(
                group["median_response_seconds"],
                group["response_rate"],
                yerr=errors,
                fmt="o",
                capsize=3,
                color=colours[industry],
                label=industry,
            )
            _mark(drawn.get_children(), f"rate-vs-time-{i}")
            for row in group.itertuples():
                ax.annotate(
                    str(row.brand_name),
                    (row.median_response_seconds, row.response_rate),
                    xytext=(5, 3),
                    textcoords="offset points",
                    fontsize=7,
                )
        _duration_axis(ax, points["median_response_seconds"])
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel("median response time (log scale)")
        ax.set_ylabel("response rate")
        ax.legend(title="industry", fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return _save(figure, "rate_vs_time", title, caption, folder)


def sla_by_industry(industries: pd.DataFrame, folder: Path) -> Chart:
    """(b) Shares of the base answered within each SLA window, per industry."""
    title = "Answered within 1 h, 4 h and 24 h, by industry"
    caption = (
        "Share of the industry's posts of the ranking base (with an outcome) that were answered "
        "within each window, every brand of the industry counted."
    )
    with _figure() as (figure, ax):
        if industries.empty:
            _nothing_to_draw(ax, "No industry has posts in this period")
            return _save(figure, "sla_by_industry", title, caption, folder)
        positions = np.arange(len(industries))
        width = 0.8 / len(SLA_SHARES)
        for i, (column, header) in enumerate(SLA_SHARES):
            bars = ax.bar(
                positions + (i - (len(SLA_SHARES) - 1) / 2) * width,
                industries[column].astype(float).fillna(0.0),
                width,
                label=header.replace("≤", "within "),
            )
            _mark(list(bars), f"sla-{i}")
        ax.set_xticks(positions, industries["industry"].astype(str), rotation=20, ha="right")
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_ylim(0, 1)
        ax.set_ylabel("share answered")
        ax.legend(fontsize=7, ncols=len(SLA_SHARES), loc="upper left")
    return _save(figure, "sla_by_industry", title, caption, folder)


def response_times(seconds: pd.Series, folder: Path, network: str) -> Chart:
    """(c) How long the answered posts of the base waited, on a log scale."""
    title = "Distribution of response times"
    where = "every network" if network == "all" else network
    caption = (
        f"Answered posts of the ranking base in the period on {where}, binned on a logarithmic "
        "time axis; the dashed line is the median."
    )
    values = seconds.dropna().clip(lower=1.0)
    with _figure() as (figure, ax):
        if values.empty:
            _nothing_to_draw(ax, "No post of the base was answered in this period")
            return _save(figure, "response_times", title, caption, folder)
        low, high = values.min(), max(values.max(), values.min() * 2)
        _, _, bars = ax.hist(values, bins=np.geomspace(low, high, 31), color="#4c72b0")
        _mark(list(bars), "response-times")
        ax.axvline(values.median(), color="#333333", linestyle="--", linewidth=1)
        _duration_axis(ax, values)
        ax.set_xlabel("response time (log scale)")
        ax.set_ylabel("answered posts")
    return _save(figure, "response_times", title, caption, folder)


def rank_history(history: pd.DataFrame, folder: Path, period_type: str) -> Chart:
    """(d) The ranks of the table's brands over the periods of the same grain."""
    title = f"Rank by {period_type}"
    caption = (
        f"Rank of the brands in the table in every {period_type} up to this one (1 at the top); "
        f"a gap is a {period_type} in which the brand had too few posts to be ranked."
    )
    with _figure() as (figure, ax):
        if history.empty:
            _nothing_to_draw(ax, "No ranked brand to follow")
            return _save(figure, "rank_history", title, caption, folder)
        periods = history.sort_values("period_start")["period"].drop_duplicates().tolist()
        ranks = history.pivot(index="period", columns="brand_id", values="rank").reindex(periods)
        names = history.groupby("brand_id")["brand_name"].last()
        positions = np.arange(len(periods))
        for i, brand_id in enumerate(ranks.columns):
            (line,) = ax.plot(
                positions,
                ranks[brand_id].astype(float),
                marker="o",
                label=str(names[brand_id]),
            )
            _mark(line, f"rank-history-{i}")
        ax.set_xticks(positions, periods)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.invert_yaxis()
        ax.set_ylabel("rank")
        ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return _save(figure, "rank_history", title, caption, folder)
