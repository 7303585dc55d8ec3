"""The ``carerank`` command line. Commands stay thin: they parse options, call the pipeline, the
generator or a warehouse query, and turn known errors into one clear line.

A command's docstring is its help. Typer keeps the docstring's single line breaks, so a paragraph
wrapped in the source would break mid-sentence on screen: each paragraph is written on one line
(hence ``# noqa: E501``) and paragraphs are separated by blank lines. The last paragraph is an
example."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ingestion.errors import IngestionError
from orchestration.settings import (
    DBT_PROJECT_DIR,
    Settings,
    SettingsError,
    keep_registry_file,
    load_settings,
    settings_from_env,
)

app = typer.Typer(
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

VerboseOption = Annotated[
    bool,
    typer.Option(
        "--verbose", "-v", help="Show Dagster's log instead of a progress bar, and tracebacks."
    ),
]


class WarehouseTarget(StrEnum):
    duckdb = "duckdb"
    postgres = "postgres"


class RankingBase(StrEnum):
    """Which customer posts the rates and times are over (dbt var ranking_base)."""

    questions = "questions"
    needs_reply = "needs_reply"
    all = "all"


# The command line's word for each base, as the dbt var ranking_base spells it.
RANKING_BASE_VARS = {
    "questions": "questions",
    "needs_reply": "needs_reply",
    "all": "customer_posts",
}

ExcludeAutomatedOption = Annotated[
    bool,
    typer.Option(
        "--exclude-automated",
        help="Leave automated and canned first replies out of the response times (they still "
        "answer the post), as Facebook's responsiveness badge does.",
    ),
]

BaseOption = Annotated[
    RankingBase | None,
    typer.Option(
        "--base",
        help="Rank over the questions (as Socially Devoted), the posts that need a reply (not "
        "thanks, praise, closings or spam) or all customer posts (default: the settings' "
        "dbt_vars ranking_base, questions).",
    ),
]

ImplicitRepliesOption = Annotated[
    bool,
    typer.Option(
        "--implicit-replies",
        help="Also count a brand post without a reply link as the answer to a customer post: it "
        "mentions the customer and follows their post within the horizon, in the same "
        "conversation where known (match_type implicit; default: the settings' dbt_vars "
        "implicit_replies, false).",
    ),
]


class ResponseClock(StrEnum):
    wall = "wall"
    business = "business"


ClockOption = Annotated[
    ResponseClock | None,
    typer.Option(
        "--clock",
        help="Clock of the ranking's response times and SLA shares: wall (calendar time) or "
        "business (only each brand's opening hours count) (default: $CARERANK_RESPONSE_CLOCK, "
        "wall).",
    ),
]

TargetOption = Annotated[
    WarehouseTarget | None,
    typer.Option(
        "--target",
        help="Build the models in duckdb or postgres (default: $CARERANK_DBT_TARGET, duckdb). "
        "PostgreSQL's URL is read only from CARERANK_POSTGRES_URL or carerank.toml, never from "
        "the command line, where `ps` shows it to every user of the machine.",
    ),
]


class InputFormat(StrEnum):
    auto = "auto"
    twcs = "twcs"
    jsonl = "jsonl"
    parquet = "parquet"


InputFormatOption = Annotated[
    InputFormat,
    typer.Option("--format", "-f", help="Format of the input; auto tells it from the file name."),
]


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-03-05")
    return None  # unreachable: fail() exits


def _existing_file(path: Path | None, option: str) -> Path | None:
    if path is None:
        return None
    from ingestion.preflight import check_input_files

    try:
        check_input_files([path])
    except IngestionError as exc:
        fail(f"{option}: {exc}")
    return path.resolve()


def _run_settings(
    warehouse: Path | None,
    brands: Path | None,
    accounts: Path | None,
    target: WarehouseTarget | None = None,
    base: RankingBase | None = None,
    exclude_automated: bool = False,
    clock: ResponseClock | None = None,
    implicit_replies: bool = False,
) -> Settings:
    """The settings of a run, after checking everything a run needs before it starts: the
    warehouse the models are built in (PostgreSQL reachable), the registry in force (the user's
    files, those kept beside the warehouse, or the seeds) and a writable warehouse. User
    registry files are kept beside the warehouse, so later runs and backfills into it rank the
    same brands."""
    from ingestion.preflight import check_registry, check_writable

    settings = settings_from_env(warehouse)
    if target is not None:
        settings = settings.model_copy(update={"dbt_target": target.value})
    # the rule options of the command line override the settings' dbt_vars for this run
    rule_vars = {
        "ranking_base": RANKING_BASE_VARS[base.value] if base is not None else None,
        "exclude_automated_from_time": True if exclude_automated else None,
        "implicit_replies": True if implicit_replies else None,
    }
    given = {name: value for name, value in rule_vars.items() if value is not None}
    if given:
        settings = settings.model_copy(update={"dbt_vars": {**settings.dbt_vars, **given}})
    if clock is not None:
        settings = settings.model_copy(update={"response_clock": clock.value})
    _check_postgres(settings)
    _check_landing(settings)
    brands_file = _existing_file(brands, "--brands") or settings.brands_file
    accounts_file = _existing_file(accounts, "--accounts") or settings.accounts_file
    try:
        check_writable(settings.warehouse, "--warehouse")
        check_registry(brands_file, accounts_file, DBT_PROJECT_DIR / "seeds")
    except IngestionError as exc:
        fail(str(exc))
    if brands:
        brands_file = keep_registry_file(settings.warehouse, brands_file, "brands.csv")
    if accounts:
        accounts_file = keep_registry_file(settings.warehouse, accounts_file, "brand_accounts.csv")
    return settings.model_copy(update={"brands_file": brands_file, "accounts_file": accounts_file})


def _check_landing(settings: Settings) -> None:
    """An s3:// landing zone: its bucket answers, before anything is written (one line naming
    the URL and the endpoint otherwise). A local one is created when landing."""
    try:
        settings.landing().check_reachable()
    except IngestionError as exc:
        fail(str(exc))


def _check_postgres(settings: Settings) -> None:
    """On the postgres target: its URL is set and the server answers, before anything is
    written (one line without the password otherwise)."""
    if settings.dbt_target != "postgres":
        return
    from ingestion.postgres import check_reachable

    try:
        check_reachable(settings.postgres())
    except IngestionError as exc:
        fail(str(exc))


@app.command()
def run(
    input: Annotated[
        list[Path] | None,
        typer.Option(
            "--input",
            "-i",
            metavar="<path>",
            help="A file to land: TWCS CSV, JSONL or Parquet (repeat for more).",
        ),
    ] = None,
    format: InputFormatOption = InputFormat.auto,
    source: Annotated[
        str | None,
        typer.Option(help="Source name in the landing zone (default: the file's name)."),
    ] = None,
    brands: Annotated[
        Path | None,
        typer.Option(help="brands.csv replacing the bundled one; kept for later runs."),
    ] = None,
    accounts: Annotated[
        Path | None,
        typer.Option(help="brand_accounts.csv replacing the bundled one; kept for later runs."),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(metavar="<date>", help="First UTC day, YYYY-MM-DD (default: the input's)."),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option(metavar="<date>", help="Last UTC day, YYYY-MM-DD (default: the input's)."),
    ] = None,
    warehouse: WarehouseOption = None,
    target: TargetOption = None,
    base: BaseOption = None,
    exclude_automated: ExcludeAutomatedOption = False,
    clock: ClockOption = None,
    implicit_replies: ImplicitRepliesOption = False,
    verbose: VerboseOption = False,
    full_refresh: FullRefreshOption = False,
) -> None:
    """Land files of posts, build the days they cover and publish the ranking.

    The files are landed, then their days go through the Dagster asset graph as one run: the same assets and checks as the nightly schedule. The ranking is published only when every blocking check passes.

    With --target postgres the models are built in the PostgreSQL server of CARERANK_POSTGRES_URL (set in the environment or carerank.toml, never on the command line, where `ps` shows it).

    Exit status: 0 on success, 1 when a blocking check fails (nothing is published), 2 for unusable input or an unreachable PostgreSQL server (nothing is written then).

    Examples:
      carerank run --input twcs.csv
      carerank run -i posts.jsonl --brands brands.csv --accounts accounts.csv
      carerank run -i posts.jsonl --target postgres
      carerank run -i posts.jsonl --clock business
    """  # noqa: E501
    from ingestion.preflight import check_input_files, check_window

    first, last = _day(start, "--start"), _day(end, "--end")
    settings = _run_settings(
        warehouse, brands, accounts, target, base, exclude_automated, clock, implicit_replies
    )
    inputs = [p.resolve() for p in input or []]
    try:
        check_input_files(inputs)
        if first and last:
            check_window(first, last)
    except IngestionError as exc:
        fail(str(exc))
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
    start: Annotated[str, typer.Option(metavar="<date>", help="First UTC day, YYYY-MM-DD.")],
    end: Annotated[str, typer.Option(metavar="<date>", help="Last UTC day, YYYY-MM-DD.")],
    warehouse: WarehouseOption = None,
    target: TargetOption = None,
    base: BaseOption = None,
    exclude_automated: ExcludeAutomatedOption = False,
    clock: ClockOption = None,
    implicit_replies: ImplicitRepliesOption = False,
    verbose: VerboseOption = False,
    full_refresh: FullRefreshOption = False,
) -> None:
    """Rebuild a range of days as one run and publish the ranking.

    The files waiting in the inbox and the days of the networks whose APIs are switched on (CARERANK_API_NETWORKS) are landed first; then the marts of the range are rebuilt and checked.

    Exit status: 0 on success, 1 when a blocking check fails (nothing is published), 2 for unusable input.

    Example: carerank backfill --start 2024-03-01 --end 2024-03-31
    """  # noqa: E501
    from ingestion.preflight import check_window

    first, last = _day(start, "--start"), _day(end, "--end")
    settings = _run_settings(
        warehouse, None, None, target, base, exclude_automated, clock, implicit_replies
    )
    try:
        check_window(first, last, settings.first_day if _api_networks(settings) else None)
    except IngestionError as exc:
        fail(str(exc))
    _run_with_progress(
        settings,
        [],
        "auto",
        None,
        first,
        last,
        verbose,
        "backfill",
        full_refresh,
        fetch_apis=True,
    )


def _api_networks(settings: Settings) -> list[str]:
    from orchestration.defs.api_ingestion import enabled_networks

    return enabled_networks(settings)


def _run_with_progress(
    settings, inputs, fmt, source, first, last, verbose, label, full_refresh=False, fetch_apis=False
) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from ingestion.landing import parse_in_background
    from orchestration.gx_validation import worker_running

    # While this process imports Dagster and dbt (seconds of Python), great-expectations'
    # worker imports GX on the other core and DuckDB parses the inputs, so that both are
    # ready when the run needs them
    with worker_running():
        parse_in_background(inputs, fmt, settings.duckdb_memory_limit)
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
                    settings,
                    inputs,
                    fmt,
                    source,
                    first,
                    last,
                    verbose,
                    on_step,
                    full_refresh,
                    fetch_apis=fetch_apis,
                    on_wait=lambda message: progress.console.print(message, highlight=False),
                )
            except IngestionError as exc:
                fail(str(exc))
    _report(outcome, settings)


def _report(outcome, settings) -> None:
    console.print(
        f"days {outcome.first_day} .. {outcome.last_day}: landed {outcome.rows_landed} "
        f"posts, quarantined {outcome.rows_quarantined}; warehouse {settings.warehouse}",
        highlight=False,
    )
    passed = sum(c.passed for c in outcome.checks)
    console.print(f"checks: {passed} of {len(outcome.checks)} passed", highlight=False)
    for check in outcome.warnings:
        console.print(f"  [yellow]warning[/] {check.asset} {check.name}", highlight=False)
    for check in outcome.blocking_failures:
        detail = json.dumps(check.failures, default=str)[:600] if check.failures else ""
        err.print(f"  [red]FAILED[/] {check.asset} {check.name} {escape(detail)}", highlight=False)
    if not outcome.success or outcome.blocking_failures:
        where = ", ".join(outcome.failed_steps) or "a blocking check"
        reason = "; ".join(dict.fromkeys(outcome.failure_messages))
        fail(
            (f"{reason} " if reason else "")
            + f"(run {outcome.run_id} failed at {where}; the ranking was not published)",
            code=1,
        )


@app.command()
def ingest(
    network: Annotated[
        str, typer.Option(help="twitter (or its API's name, x), facebook, mastodon or bluesky.")
    ],
    date_: Annotated[
        str, typer.Option("--date", metavar="<date>", help="The UTC day to fetch, YYYY-MM-DD.")
    ],
    accounts: Annotated[
        Path | None,
        typer.Option(help="brand_accounts.csv (default: the accounts_file setting, or the seed)."),
    ] = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Fetch one day of a network's API into the landing zone.

    Every account of the registry on that network is fetched. An interrupted fetch resumes where it stopped when run again. `carerank run` over the same day then builds the marts.

    Example: carerank ingest --network x --date 2024-03-05
    """  # noqa: E501
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from ingestion.connectors.base import load_accounts
    from ingestion.connectors.http import ApiError
    from ingestion.connectors.ingest import (
        NETWORKS,
        build_connector,
        checkpoint_root,
        ingest_day,
    )
    from ingestion.warehouse import refresh_raw_views
    from orchestration.defs.api_ingestion import accounts_file
    from orchestration.settings import api_access

    settings = settings_from_env(warehouse)
    day = _day(date_, "--date")
    try:
        if network not in NETWORKS:
            raise IngestionError(
                f"unknown network {network!r}; use twitter, facebook, mastodon or bluesky"
            )
        registry = load_accounts(accounts or accounts_file(settings), NETWORKS[network][0])
        if not registry:
            raise IngestionError(f"no {NETWORKS[network][0]} account in the accounts file")
        connector = build_connector(network, api_access(settings, network))
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

            result = ingest_day(
                connector,
                registry,
                day,
                settings.landing(),
                on_page,
                max_quarantine_share=settings.max_quarantine_share,
                checkpoint_dir=checkpoint_root(settings.landing(), settings.warehouse),
            )
        refresh_raw_views(settings.warehouse, settings.landing(), settings.duckdb_storage_version)
    except (IngestionError, ApiError, ValueError) as exc:
        fail(str(exc), code=1 if isinstance(exc, ApiError) else 2)
    stats = result.stats
    console.print(
        f"{NETWORKS[network][0]} {day}: {result.landing.landed} posts landed from "
        f"{result.accounts} accounts "
        f"({stats.pages} pages, {stats.retries} retries, {stats.rate_limit_waits} rate-limit "
        f"waits); quarantined {result.landing.quarantined}",
        highlight=False,
    )


@app.command()
def ranking(
    period: Annotated[
        str | None,
        typer.Option(
            metavar="<period>",
            help="A quarter, month or year: 2017Q4, 2017-10 or 2017 (default: the latest quarter).",
        ),
    ] = None,
    network: Annotated[
        str, typer.Option(help="all, twitter (or x), facebook, mastodon or bluesky.")
    ] = "all",
    industry: Annotated[str | None, typer.Option(help="Only brands of this industry.")] = None,
    country: Annotated[
        str | None, typer.Option(help="Only brands of this country (its code, e.g. US).")
    ] = None,
    format: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="A table to read, or every row as CSV or JSON."),
    ] = OutputFormat.table,
    limit: Annotated[
        int, typer.Option(help="Brands shown in the table (0: all); CSV and JSON print all.")
    ] = 20,
    warehouse: WarehouseOption = None,
) -> None:
    """Print the ranking of a period and network.

    It is read from the published copy, the one swapped in after the last run whose checks passed, so it can be read while a run is writing the warehouse.

    Example: carerank ranking --period 2017Q4 --network twitter --format csv
    """  # noqa: E501
    from carerank.ranking_output import latest_period, load_ranking, render_table
    from ingestion.preflight import KNOWN_NETWORKS, NETWORK_ALIASES
    from ingestion.warehouse import connect

    network = NETWORK_ALIASES.get(network.lower(), network.lower())
    if network not in ("all", *KNOWN_NETWORKS):
        fail(f"--network {network!r}: use all, {', '.join(KNOWN_NETWORKS)}")

    published = settings_from_env(warehouse).published
    if not published.exists():
        fail(
            f"no published ranking at {published} yet: it is published when `carerank run` "
            "has passed its checks"
        )
    with connect(published, read_only=True) as con:
        period = period or latest_period(con, network)
        if period is None:
            fail(f"the ranking has no rows for network {network!r}")
        df = load_ranking(con, period, network, industry, country)
    if df.empty:
        fail(f"no ranking rows for period {period!r}, network {network!r}")
    if format is OutputFormat.csv:
        sys.stdout.write(df.to_csv(index=False))
    elif format is OutputFormat.json:
        sys.stdout.write(df.to_json(orient="records", date_format="iso", indent=2) + "\n")
    else:
        render_table(df if limit <= 0 else df.head(limit), period, network, console)


@app.command()
def generate(
    brands: Annotated[int, typer.Option(help="Number of brands.")] = 20,
    posts: Annotated[
        int, typer.Option(help="About how many customer posts (brand replies come on top).")
    ] = 20000,
    days: Annotated[int, typer.Option(help="Number of UTC days the posts span.")] = 92,
    seed: Annotated[
        int, typer.Option(help="Random seed: the same seed writes the same files.")
    ] = 7,
    start: Annotated[
        str, typer.Option(metavar="<date>", help="First UTC day, YYYY-MM-DD.")
    ] = "2026-07-01",
    out: Annotated[Path, typer.Option(help="Folder to write the files into.")] = Path(
        "data/sample"
    ),
) -> None:
    """Write a synthetic world whose right answers are known.

    The folder gets posts.jsonl, brands.csv and brand_accounts.csv, ready for `carerank run`, and truth.csv: the true outcome of every customer post and brand, which the tests compare the warehouse with.

    Example: carerank generate --brands 5 --posts 2000 --days 30 --out data/small
    """  # noqa: E501
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


@app.command()
def classify(
    input: Annotated[
        Path, typer.Option("--input", "-i", help="A file of posts (TWCS CSV, JSON lines, Parquet).")
    ],
    out: Annotated[Path, typer.Option(help="The CSV to write, one row per post (replaced).")],
    format: InputFormatOption = InputFormat.auto,
    accounts: Annotated[
        Path | None,
        typer.Option(help="Brand accounts CSV (account_id, handle): their posts are replies."),
    ] = None,
) -> None:
    """Classify every post of a file with the warehouse's rules, without building a warehouse.

    One row per post: post_id, role (customer or brand), lang, and for a customer post its category (question, complaint, request, praise, other) and whether it needs a reply; for a brand post whether it moves the conversation to a private channel, promises to pass the feedback on, and the agent who signed it. The rules are the dbt project's (macros/classification.sql), so auditing them here audits the warehouse.

    Example: carerank classify --input twcs.csv --out classified.csv
    """  # noqa: E501
    from carerank.classify import classify_file

    try:
        done = classify_file(input, format.value, accounts, out)
    except IngestionError as exc:
        fail(str(exc))
    console.print(
        f"{done.posts} posts ({done.customer_posts} by customers, {done.brand_posts} by brands) "
        f"classified into {out}",
        highlight=False,
    )


@app.command()
def export(
    anonymised: Annotated[
        bool,
        typer.Option(
            "--anonymised/--not-anonymised",
            help="Leave out every customer id, handle, post id and text (the only kind).",
        ),
    ] = True,
    out: Annotated[Path, typer.Option(help="Folder to write (replaced whole).")] = Path(
        "data/export"
    ),
    warehouse: WarehouseOption = None,
) -> None:
    """Write the marts for publication, anonymised.

    Every mart of the published copy goes out as Parquet and CSV with a data dictionary (data_dictionary.md and .json): no customer id, handle, post id or text, customer posts' times to the hour, response times to the minute. It reads the published copy, so it works while a run writes the warehouse.

    Example: carerank export --anonymised --out ranking-2017Q4
    """  # noqa: E501
    from carerank.export import ExportError, export_anonymised

    if not anonymised:
        fail("only --anonymised exports exist: customer-level data stays in the warehouse")
    try:
        tables = export_anonymised(settings_from_env(warehouse).published, out.resolve())
    except ExportError as exc:
        fail(str(exc))
    for table in tables:
        console.print(f"{table.name}: {table.rows} rows", highlight=False)
    console.print(f"written to {out} with data_dictionary.md and .json", highlight=False)


@app.command()
def report(
    period: Annotated[
        str | None,
        typer.Option(
            metavar="<period>",
            help="A quarter, month or year: 2017Q4, 2017-10 or 2017 (default: the latest quarter).",
        ),
    ] = None,
    network: Annotated[
        str, typer.Option(help="all, twitter (or x), facebook, mastodon or bluesky.")
    ] = "all",
    out: Annotated[Path, typer.Option(help="Folder to write (replaced whole).")] = Path(
        "carerank-report"
    ),
    top: Annotated[int, typer.Option(help="Ranks shown in the page's table (0: all).")] = 10,
    warehouse: WarehouseOption = None,
) -> None:
    """Write a static HTML report of a period's ranking, ready to publish.

    The folder gets index.html (the ranking, the brands too thin to rank, charts, data quality and the methodology, with the settings and input files that reproduce every number), each chart as SVG and PNG and each table as CSV. The page needs no network: styles and charts are inline. It reads the published copy, so it works while a run writes the warehouse.

    Example: carerank report --period 2017Q4 --network twitter --out report-2017Q4
    """  # noqa: E501
    from carerank.report import ReportError, write_report
    from ingestion.preflight import KNOWN_NETWORKS, NETWORK_ALIASES

    network = NETWORK_ALIASES.get(network.lower(), network.lower())
    if network not in ("all", *KNOWN_NETWORKS):
        fail(f"--network {network!r}: use all, {', '.join(KNOWN_NETWORKS)}")
    try:
        result = write_report(
            settings_from_env(warehouse).published, out.resolve(), period, network, top
        )
    except ReportError as exc:
        fail(str(exc))
    status = " (PROVISIONAL)" if result.provisional else ""
    console.print(
        f"report {result.period} · {result.network}{status}: {result.ranked} brands ranked, "
        f"{result.thin} too thin to rank; written to {out}/index.html with "
        f"{len(result.files) - 1} files beside it",
        highlight=False,
    )


@app.command()
def config(
    warehouse: WarehouseOption = None,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print README's table of every setting instead.")
    ] = False,
) -> None:
    """Print every setting, its value in force and where it came from.

    A value comes from the default, the settings file (carerank.toml), the environment (CARERANK_*) or the command line, the later ones winning. Secrets are masked.

    Example: carerank config --warehouse /srv/carerank/warehouse.duckdb
    """  # noqa: E501
    from orchestration.settings import settings_markdown, settings_rows

    if markdown:
        console.print(settings_markdown(), highlight=False, markup=False, soft_wrap=True)
        return
    loaded = load_settings({"warehouse": warehouse} if warehouse else None)
    table = Table(title="carerank settings")
    for column in ("setting", "value", "source", "variable"):
        table.add_column(column, overflow="fold")
    for row in settings_rows(loaded):
        table.add_row(row["setting"], row["value"], row["source"], row["variable"])
    console.print(table)


@app.command()
def dev(
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0: every one).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="TCP port of the UI.")] = 3000,
    warehouse: WarehouseOption = None,
) -> None:
    """Open the Dagster UI on the data folder.

    It shows the asset graph, runs, checks and schedules of the data folder's Dagster instance, the one `carerank run` records its runs in.

    Example: carerank dev --port 3001
    """  # noqa: E501
    from orchestration.dbt_project import ensure_dbt_manifest
    from orchestration.instance import prepare_dagster_home

    settings = settings_from_env(warehouse)
    settings.export()
    prepare_dagster_home(settings.dagster_home)
    ensure_dbt_manifest()
    err.print(f"Dagster UI on http://{host}:{port} (instance {settings.dagster_home})")
    command = [sys.executable, "-m", "dagster", "dev", "-m", "orchestration.definitions"]
    command += ["-h", host, "-p", str(port)]
    sys.stdout.flush()
    # The UI's code server runs this interpreter, so dbt and Dagster come from carerank's own
    # environment whether or not it is activated.
    os.execv(sys.executable, command)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        console.print(f"carerank {version('carerank')}", highlight=False)
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """carerank: how well brands answer their customers on social networks.

    It lands posts, matches each customer post with the brand's first reply, builds and checks the warehouse with dbt and Dagster, and ranks brands per quarter, month and year. `carerank COMMAND --help` describes a command.

    Examples:
      carerank run --input twcs.csv
      carerank ranking --period 2017Q4
    """  # noqa: E501


def _debugging() -> bool:
    if {"--verbose", "-v"} & set(sys.argv):
        return True
    try:
        return load_settings().settings.debug
    except SettingsError:
        return False


def main() -> None:
    """The console script: a mistake nobody foresaw still ends in one line (exit status 1), and
    the traceback is there with --verbose or CARERANK_DEBUG=1."""
    try:
        app(prog_name="carerank")
    except SettingsError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        sys.exit(2)
    except Exception as exc:
        if _debugging():
            raise
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        hint = "rerun with --verbose or CARERANK_DEBUG=1 for details"
        err.print(f"[bold red]error:[/] {escape(reason)} ({hint})", highlight=False)
        sys.exit(1)


def console_script() -> None:
    """The `carerank` command: main(), then the process ends without tearing down its objects.
    A run leaves hundreds of megabytes of Python objects (dbt's manifest, Dagster's
    definitions, great-expectations), and freeing them one by one at exit took about 2 s of
    every run on the bundled sample; the exit handlers still run and the output is flushed.
    Under a profiler or a debugger the exit is the normal one, which writes their results."""
    if sys.getprofile() is not None or sys.gettrace() is not None:
        main()
        return
    try:
        main()
        status = 0
    except SystemExit as stop:
        status = exit_status(stop.code)
    exit_without_teardown(status)


def exit_status(code: object) -> int:
    """The exit status sys.exit(code) gives, printing a message code as sys.exit does."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def exit_without_teardown(status: int) -> None:
    """End the process with ``status`` after what a normal exit does that matters: waiting for
    threads that are not daemons, running the exit handlers and flushing the output."""
    import atexit
    import threading

    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
