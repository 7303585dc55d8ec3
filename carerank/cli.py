"""The ``carerank`` command line (SPEC §5). Commands stay thin: they parse options, call the
pipeline, the generator or a warehouse query, and turn known errors into one clear line."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from ingestion.errors import IngestionError
from orchestration.settings import keep_registry_file, settings_from_env

app = typer.Typer(
    help="carerank: how well brands answer their customers on social networks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Piped output (CI logs, files) gets wide tables instead of 80 columns.
console = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, soft_wrap=True)

WarehouseOption = Annotated[
    Path | None,
    typer.Option(
        "--warehouse",
        help="DuckDB warehouse file (default: $CARERANK_WAREHOUSE or data/warehouse.duckdb).",
    ),
]

FullRefreshOption = Annotated[
    bool,
    typer.Option(
        "--full-refresh",
        help="Rebuild the models from all landed data, not only what the window can change.",
    ),
]


class InputFormat(StrEnum):
    auto = "auto"
    twcs = "twcs"
    jsonl = "jsonl"
    parquet = "parquet"


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def _registry_file(path: Path | None, kind: str, required: tuple[str, ...]) -> Path | None:
    """Check a --brands/--accounts file up front, so that a wrong file is one clear line."""
    if path is None:
        return None
    import csv

    if not path.is_file():
        fail(f"--{kind}: {path}: no such file")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = [c.strip() for c in next(csv.reader(handle), [])]
    missing = [c for c in required if c not in header]
    if missing:
        fail(f"--{kind}: {path}: missing column(s) {', '.join(missing)}")
    return path.resolve()


@app.command()
def run(
    input: Annotated[
        list[Path] | None,
        typer.Option("--input", "-i", help="File(s) to land: TWCS CSV, JSONL or Parquet."),
    ] = None,
    format: Annotated[InputFormat, typer.Option("--format", "-f")] = InputFormat.auto,
    source: Annotated[
        str | None, typer.Option(help="Source name in the landing zone (default: file name).")
    ] = None,
    brands: Annotated[Path | None, typer.Option(help="brands.csv replacing the seed.")] = None,
    accounts: Annotated[
        Path | None, typer.Option(help="brand_accounts.csv replacing the seed.")
    ] = None,
    start: Annotated[
        str | None, typer.Option(help="First UTC day (default: the input's first).")
    ] = None,
    end: Annotated[
        str | None, typer.Option(help="Last UTC day (default: the input's last).")
    ] = None,
    warehouse: WarehouseOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Dagster's log.")] = False,
    full_refresh: FullRefreshOption = False,
) -> None:
    """Land the input and build every daily partition it covers through the Dagster asset graph,
    then the marts and their checks. Exit status 1 when a blocking check fails."""

    settings = settings_from_env(warehouse)
    brands_file = _registry_file(
        brands, "brands", ("brand_id", "brand_name", "industry", "country")
    )
    accounts_file = _registry_file(accounts, "accounts", ("brand_id", "network", "handle"))
    if brands_file or accounts_file:
        # kept beside the warehouse: later runs and backfills into it use the same registry
        settings = replace(
            settings,
            brands_file=keep_registry_file(settings.warehouse, brands_file, "brands.csv")
            if brands_file
            else settings.brands_file,
            accounts_file=keep_registry_file(
                settings.warehouse, accounts_file, "brand_accounts.csv"
            )
            if accounts_file
            else settings.accounts_file,
        )
    try:
        first = date.fromisoformat(start) if start else None
        last = date.fromisoformat(end) if end else None
    except ValueError as exc:
        fail(f"--start/--end: {exc}")
    inputs = [p.resolve() for p in input or []]
    _run_with_progress(
        settings,
        inputs,
        format.value,
        source,
        first,
        last,
        verbose,
        "landing, building, checking",
        full_refresh,
    )


@app.command()
def backfill(
    start: Annotated[str, typer.Option(help="First UTC day (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option(help="Last UTC day (YYYY-MM-DD).")],
    warehouse: WarehouseOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Dagster's log.")] = False,
    full_refresh: FullRefreshOption = False,
) -> None:
    """Materialise the daily partitions start..end as one run (a single-run backfill): the
    inbox's files and the API networks switched on by CARERANK_API_NETWORKS are landed, then the
    marts are rebuilt and checked. Exit status 1 when a blocking check fails."""
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError as exc:
        fail(f"--start/--end: {exc}")
    _run_with_progress(
        settings_from_env(warehouse),
        [],
        "auto",
        None,
        first,
        last,
        verbose,
        "backfill",
        full_refresh,
    )


def _run_with_progress(
    settings, inputs, fmt, source, first, last, verbose, label, full_refresh=False
) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from carerank.pipeline import run_pipeline

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
        disable=verbose,
    ) as progress:
        task = progress.add_task(label, total=None)

        def on_step(event: str, step: str, total: int) -> None:
            progress.update(task, total=total, advance=1, description=f"{label}: {step}")

        try:
            outcome = run_pipeline(
                settings, inputs, fmt, source, first, last, verbose, on_step, full_refresh
            )
        except IngestionError as exc:
            fail(str(exc))
    _report(outcome, settings)


def _report(outcome, settings) -> None:
    console.print(
        f"partitions {outcome.first_day} .. {outcome.last_day}: landed {outcome.rows_landed} "
        f"posts, quarantined {outcome.rows_quarantined}; warehouse {settings.warehouse}",
        highlight=False,
    )
    passed = sum(c.passed for c in outcome.checks)
    console.print(f"checks: {passed} of {len(outcome.checks)} passed", highlight=False)
    for check in outcome.warnings:
        console.print(f"  [yellow]warning[/] {check.asset} {check.name}", highlight=False)
    for check in outcome.blocking_failures:
        detail = json.dumps(check.failures, default=str)[:600] if check.failures else ""
        err.print(f"  [red]FAILED[/] {check.asset} {check.name} {detail}", highlight=False)
    if not outcome.success or outcome.blocking_failures:
        for message in outcome.failure_messages:
            err.print(message, highlight=False, markup=False)
        if outcome.failed_steps and outcome.log_tail and not outcome.failure_messages:
            err.print("\n".join(outcome.log_tail), highlight=False, markup=False)
        failed = ", ".join(outcome.failed_steps) or "a blocking check"
        fail(f"run {outcome.run_id} failed at {failed}; the ranking was not published", code=1)


@app.command()
def ingest(
    network: Annotated[str, typer.Option(help="x, facebook, mastodon or bluesky.")],
    date_: Annotated[str, typer.Option("--date", help="The UTC day to fetch (YYYY-MM-DD).")],
    accounts: Annotated[
        Path | None,
        typer.Option(help="brand_accounts.csv (default: $CARERANK_ACCOUNTS_FILE or the seed)."),
    ] = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Fetch one day of one network's API for every account of the registry into the landing
    zone (resumable: run it again after an interruption). `carerank run` then builds the marts."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from ingestion.connectors.base import load_accounts
    from ingestion.connectors.http import ApiError
    from ingestion.connectors.ingest import NETWORKS, build_connector, ingest_day
    from ingestion.warehouse import refresh_raw_views
    from orchestration.defs.api_ingestion import accounts_file

    settings = settings_from_env(warehouse)
    try:
        day = date.fromisoformat(date_)
        if network not in NETWORKS:
            raise IngestionError(
                f"unknown network {network!r}; use x, facebook, mastodon or bluesky"
            )
        registry = load_accounts(accounts or accounts_file(), NETWORKS[network][0])
        if not registry:
            raise IngestionError(f"no {NETWORKS[network][0]} account in the accounts file")
        connector = build_connector(network)
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=err) as progress:
            task = progress.add_task(f"{network} {day}: fetching", total=None)
            fetched = {"pages": 0, "posts": 0}

            def on_page(handle: str, records: int) -> None:
                fetched["pages"] += 1
                fetched["posts"] += records
                progress.update(
                    task,
                    description=f"{network} {day}: {handle}, {fetched['pages']} pages, "
                    f"{fetched['posts']} posts",
                )

            result = ingest_day(connector, registry, day, settings.landing_dir, on_page)
        refresh_raw_views(settings.warehouse, settings.landing_dir)
    except (IngestionError, ApiError, ValueError) as exc:
        fail(str(exc), code=1 if isinstance(exc, ApiError) else 2)
    stats = result.stats
    console.print(
        f"{network} {day}: {result.landing.landed} posts landed from {result.accounts} accounts "
        f"({stats.pages} pages, {stats.retries} retries, {stats.rate_limit_waits} rate-limit "
        f"waits); quarantined {result.landing.quarantined}",
        highlight=False,
    )


def _latest_period(con, network: str) -> str | None:
    row = con.execute(
        "select period from marts.rpt_brand_ranking where period_type = 'quarter' "
        "and network = ? order by period_start desc limit 1",
        [network],
    ).fetchone()
    return row[0] if row else None


@app.command()
def ranking(
    period: Annotated[
        str | None, typer.Option(help="2017Q4, 2017-10 or 2017 (default: the latest quarter).")
    ] = None,
    network: Annotated[str, typer.Option(help="all, twitter, facebook, …")] = "all",
    industry: Annotated[str | None, typer.Option(help="Only brands of this industry.")] = None,
    country: Annotated[str | None, typer.Option(help="Only brands of this country.")] = None,
    format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
    limit: Annotated[int, typer.Option(help="Rows in the table (0: all).")] = 20,
    warehouse: WarehouseOption = None,
) -> None:
    """Print the published ranking of a period and network."""
    from ingestion.warehouse import connect

    settings = settings_from_env(warehouse)
    if not settings.warehouse.exists():
        fail(f"no warehouse at {settings.warehouse}; run `carerank run` first")
    with connect(settings.warehouse, read_only=True) as con:
        period = period or _latest_period(con, network)
        if period is None:
            fail(f"the ranking has no rows for network {network!r}")
        sql = (
            "select rank, brand_id, brand_name, industry, country, questions, "
            "answered_questions, response_rate, response_rate_ci_low, response_rate_ci_high, "
            "median_response_seconds, p90_response_seconds, mean_response_seconds, "
            "customer_posts, socially_devoted, ranking_base, period, network "
            "from marts.rpt_brand_ranking where period = ? and network = ?"
        )
        params: list = [period, network]
        for column, value in (("industry", industry), ("country", country)):
            if value:
                sql += f" and {column} = ?"
                params.append(value)
        sql += " order by rank nulls last, response_rate desc nulls last, brand_id"
        df = con.execute(sql, params).df()
    if df.empty:
        fail(f"no ranking rows for period {period!r}, network {network!r}")
    if format is OutputFormat.csv:
        sys.stdout.write(df.to_csv(index=False))
    elif format is OutputFormat.json:
        sys.stdout.write(df.to_json(orient="records", date_format="iso", indent=2) + "\n")
    else:
        _print_ranking(df if limit <= 0 else df.head(limit), period, network)


def _print_ranking(df, period: str, network: str) -> None:
    base = df["ranking_base"].iloc[0]
    table = Table(title=f"carerank {period} · {network} · base: {base}")
    for column in (
        "rank",
        "brand",
        "industry",
        "country",
        base,
        "answered",
        "rate (95% CI)",
        "median",
        "p90",
        "devoted",
    ):
        table.add_column(column, justify="left" if column in ("brand", "industry") else "right")
    for row in df.itertuples():
        table.add_row(
            "—" if pd.isna(row.rank) else str(int(row.rank)),
            str(row.brand_name),
            str(row.industry),
            str(row.country),
            str(row.questions),
            str(row.answered_questions),
            _rate(row.response_rate, row.response_rate_ci_low, row.response_rate_ci_high),
            _duration(row.median_response_seconds),
            _duration(row.p90_response_seconds),
            "★" if row.socially_devoted else "",
        )
    console.print(table)


def _rate(rate, low, high) -> str:
    if pd.isna(rate):
        return "—"
    return f"{rate:.0%} ({low:.0%}–{high:.0%})"


def _duration(seconds) -> str:
    if pd.isna(seconds):
        return "—"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


@app.command()
def generate(
    brands: Annotated[int, typer.Option(help="Number of brands.")] = 20,
    posts: Annotated[int, typer.Option(help="Number of customer posts (before traps).")] = 20000,
    days: Annotated[int, typer.Option(help="Number of days.")] = 92,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
    start: Annotated[str, typer.Option(help="First UTC day.")] = "2026-07-01",
    out: Annotated[Path, typer.Option(help="Output folder.")] = Path("data/sample"),
) -> None:
    """Write a synthetic world: posts.jsonl, brands.csv, brand_accounts.csv and truth.csv (the
    true outcome of every customer post and brand)."""
    from carerank.synthetic import generate_world

    world = generate_world(
        n_brands=brands, n_posts=posts, n_days=days, seed=seed, start=date.fromisoformat(start)
    )
    files = world.write(out)
    console.print(
        f"{len(world.posts)} posts ({len(world.truth)} customer post x brand facts) "
        f"for {brands} brands over {days} days in {out}: " + ", ".join(p.name for p in files),
        highlight=False,
    )


def main() -> None:  # pragma: no cover - console script entry
    app()
