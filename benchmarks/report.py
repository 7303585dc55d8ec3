"""docs/benchmarks.md from the benchmark's results: the machine, every figure with its ratio to
each baseline, the nightly scenario, the profile, each target met or missed, and (from
ANALYSIS.md) what would close the missed ones."""

from __future__ import annotations

from pathlib import Path

GIB = 1024
# Where the missed targets lose their time: written by hand, appended to the generated page.
ANALYSIS = Path(__file__).with_name("ANALYSIS.md")


def fmt_s(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds:,.1f} s" if seconds < 100 else f"{seconds:,.0f} s"


def fmt_mib(mib: float | None) -> str:
    return "–" if mib is None else f"{mib / GIB:.2f} GiB" if mib >= GIB else f"{mib:,.0f} MiB"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def ratio(ours: float | None, theirs: float | None) -> str:
    return "–" if not ours or not theirs else f"{ours / theirs:.2f}×"


def size_rows(sizes: dict) -> list[list[str]]:
    """Per size and program: wall and CPU time, peak RSS, and carerank's ratios to the
    baselines."""
    rows = []
    for name, size in sizes.items():
        ours = size["carerank"]
        for program in ("carerank", "duckdb", "pandas"):
            if program not in size:
                continue
            figures = size[program]
            baseline = program != "carerank"
            agreement = size["agreement"].get(program, "–") if baseline else ""
            rows.append(
                [
                    f"{name} ({size['customer_posts']:,} posts, {size['brands']:,} brands; "
                    f"{ours['records_landed'] or 0:,} records"
                    + (
                        f"; DuckDB memory limit {size['duckdb_memory_limit']})"
                        if size.get("duckdb_memory_limit")
                        else ")"
                    ),
                    {"carerank": "carerank run", "duckdb": "DuckDB script"}.get(program, program),
                    fmt_s(figures["seconds"]),
                    fmt_s(figures.get("cpu_seconds")),
                    fmt_mib(figures["peak_rss_mib"]),
                    ratio(ours["seconds"], figures["seconds"]) if baseline else "",
                    ratio(ours.get("cpu_seconds"), figures.get("cpu_seconds")) if baseline else "",
                    ratio(ours["peak_rss_mib"], figures["peak_rss_mib"]) if baseline else "",
                    agreement if isinstance(agreement, str) else "DISAGREE",
                ]
            )
    return rows


PHASES = ["landing", "dbt build", "checks", "publication", "dagster run", "startup and report"]
PHASE_HEADER = ["run", "total", "CPU time", "load", *PHASES]


def phase_rows(runs: dict[str, dict]) -> list[list[str]]:
    """Per run: wall time, CPU time, the machine's 1-minute load average after it, phases."""
    return [
        [
            label,
            fmt_s(run["seconds"]),
            fmt_s(run.get("cpu_seconds")),
            str(run.get("load_1min", "–")),
            *(fmt_s(run["phases"].get(n)) for n in PHASES),
        ]
        for label, run in runs.items()
    ]


def target(
    label: str,
    value: float | None,
    limit: float,
    unit: str,
    higher: bool = False,
    cpu: float | None = None,
) -> list:
    """One target's row: met or missed, and the measured value against the limit (with the
    same figure from CPU times, when there is one, which a busy machine inflates less)."""
    if value is None:
        return [label, "not measured", "–"]
    met = value >= limit if higher else value <= limit
    shown = f"{value:.2f}{unit} (limit {limit:g}{unit}; {value / limit:.2f}× the limit)"
    if cpu is not None:
        shown += f"; by CPU time {cpu:.2f}{unit}"
    return [label, "met" if met else "**missed**", shown]


def cpu_ratio(size: dict | None, numerator: str, denominator: str) -> float | None:
    if (
        not size
        or not size[numerator].get("cpu_seconds")
        or not size[denominator].get("cpu_seconds")
    ):
        return None
    return size[numerator]["cpu_seconds"] / size[denominator]["cpu_seconds"]


def targets(results: dict) -> list[list[str]]:
    sizes = results.get("sizes", {})
    sample, nights = results.get("sample"), results.get("nightly")

    def size_value(name: str, key: str) -> float | None:
        return sizes[name][key] if name in sizes else None

    pandas_speedup = {
        name: size["pandas"]["seconds"] / size["carerank"]["seconds"]
        for name, size in sizes.items()
        if "pandas" in size
    }
    ten_m_rss = sizes["10m"]["carerank"]["peak_rss_mib"] / GIB if "10m" in sizes else None
    last = nights["last_night"] if nights else None
    return [
        target("bundled sample run < 10 s", sample and sample["run"]["seconds"], 10, " s"),
        target("`carerank ranking` < 2 s", sample and sample["ranking"]["seconds"], 2, " s"),
        target(
            "1M: carerank ≤ 2× DuckDB script",
            size_value("1m", "ratio_to_duckdb"),
            2,
            "×",
            cpu=cpu_ratio(sizes.get("1m"), "carerank", "duckdb"),
        ),
        target(
            "1M: carerank ≥ 10× faster than pandas",
            pandas_speedup.get("1m"),
            10,
            "×",
            higher=True,
            cpu=cpu_ratio(sizes.get("1m"), "pandas", "carerank"),
        ),
        target(
            "10M: carerank ≤ 2× DuckDB script",
            size_value("10m", "ratio_to_duckdb"),
            2,
            "×",
            cpu=cpu_ratio(sizes.get("10m"), "carerank", "duckdb"),
        ),
        target("10M: peak RSS < 4 GiB", ten_m_rss, 4, " GiB"),
        target("night 90 ≤ 1.5× night 1", nights and nights["ratio"], 1.5, "×"),
        target("a night of ~1,000 posts < 10 s", nights and nights[last]["seconds"], 10, " s"),
    ]


def load_line(results: dict) -> str:
    """How busy the machine was: the 1-minute load average after each run, lowest and highest."""
    loads = [
        run["load_1min"]
        for run in _runs(results)
        if isinstance(run, dict) and run.get("load_1min") is not None
    ]
    if not loads:
        return ""
    return (
        f"The machine was shared: its 1-minute load average after the runs was {min(loads)} to "
        f"{max(loads)} on {results['machine']['cores']} cores, so wall times are inflated; CPU "
        "times (user and system, the whole process tree) much less."
    )


def _runs(results: dict) -> list:
    sizes = [p for s in results.get("sizes", {}).values() for p in s.values()]
    nights = list((results.get("nightly") or {}).values())
    sample = results.get("sample") or {}
    return sizes + nights + [sample.get("run"), sample.get("ranking")]


def markdown(results: dict) -> str:
    m = results["machine"]
    out = [
        "# Benchmarks",
        "",
        "Written by `make bench` (benchmarks/bench_pipeline.py); the raw figures are in "
        "data/bench/bench.json. Each program runs as its own process; time is wall-clock, memory "
        "the peak resident set of its whole process tree (dbt included), sampled every 0.1 s. "
        "The ratios are carerank's figure over the baseline's: above 1, carerank is slower or "
        "bigger. Timings on a shared machine are noisy.",
        "",
        "Reproduce: `make bench` (worlds of 100k and 1M customer posts), `make bench SIZE=100k` "
        "(a quick run), `make bench SIZE=10m`; sizes measured earlier stay in the results. The "
        "worlds are generated once into `~/.cache/carerank-bench/<size>-<hash of the generator>`.",
        "",
        f"Measured {results['date']} on {m['cores']} cores, {m['ram_gib']} GiB RAM, {m['os']}; "
        f"Python {m['python']}, DuckDB {m['duckdb']}, dbt-core {m['dbt-core']}, dbt-duckdb "
        f"{m['dbt-duckdb']}, Dagster {m['dagster']}, dagster-dbt {m['dagster-dbt']}, pandas "
        f"{m['pandas']}.",
        "",
        load_line(results),
        "",
        "## Targets",
        "",
        *table(["target", "status", "measured"], targets(results)),
    ]
    if results.get("sizes"):
        out += [
            "",
            "## carerank against a hand-written DuckDB script and plain pandas",
            "",
            "The same generated files (two networks, 90 days), the same rules, the same figures "
            "per quarter, network and brand (those of `rpt_brand_ranking`); the last column says "
            "whether the baseline's figures equal carerank's published ones.",
            "",
            *table(
                [
                    "world",
                    "program",
                    "time",
                    "CPU time",
                    "peak RSS",
                    "time ratio",
                    "CPU ratio",
                    "RSS ratio",
                    "figures",
                ],
                size_rows(results["sizes"]),
            ),
            "",
            "Phases of `carerank run` (Dagster's step statistics; checks are the asset checks' "
            "steps; startup and report is the time outside the Dagster run):",
            "",
            *table(
                PHASE_HEADER,
                phase_rows({name: s["carerank"] for name, s in results["sizes"].items()}),
            ),
        ]
    out += nightly_section(results.get("nightly")) + sample_section(results)
    out += ["", ANALYSIS.read_text(encoding="utf-8").rstrip()]
    return "\n".join(out) + "\n"


def nightly_section(nights: dict | None) -> list[str]:
    if not nights:
        return []
    runs = {k: v for k, v in nights.items() if isinstance(v, dict)}
    return [
        "",
        "## Nightly",
        "",
        "The 100k world split into UTC days. Night 1 lands its day into an empty warehouse; the "
        "history (the first 88 days) is built by one run; nights 89 and 90 then land one day "
        f"each. {nights['last_night']} / night 1: {nights['ratio']:.2f}×.",
        "",
        *table(
            PHASE_HEADER,
            phase_rows({f"{k} ({v['records_landed'] or 0:,} records)": v for k, v in runs.items()}),
        ),
        "",
        *table(["run", "peak RSS"], [[k, fmt_mib(v["peak_rss_mib"])] for k, v in runs.items()]),
    ]


def sample_section(results: dict) -> list[str]:
    out: list[str] = []
    sample, profile = results.get("sample"), results.get("profile")
    if sample:
        run, nodes = sample["run"], sample.get("dbt_nodes", {"nodes": 0, "slowest": []})
        out += [
            "",
            "## Where a small run's time goes",
            "",
            f"The bundled sample (`carerank generate` default, {run['records_landed'] or 0:,} "
            f"records): `carerank run` {fmt_s(run['seconds'])}, "
            f"peak {fmt_mib(run['peak_rss_mib'])}; "
            f"`carerank ranking` {fmt_s(sample['ranking']['seconds'])}.",
            "",
            *table(
                PHASE_HEADER,
                phase_rows({"sample": run}),
            ),
            "",
            f"Its two dbt builds ran {nodes['nodes']} models and tests in "
            f"{fmt_s(nodes.get('node_seconds'))} of their {fmt_s(run['phases']['dbt build'])}; the "
            "rest is dbt's start-up and parsing and Dagster reading dbt's events. The slowest "
            "nodes (run_results.json):",
            "",
            *table(
                ["node", "seconds"],
                [[n["node"], f"{n['seconds']:.2f}"] for n in nodes["slowest"]],
            ),
        ]
    if profile:
        imports = profile["imports"]
        out += [
            "",
            f"Imports (`python -X importtime`): {fmt_s(imports['total_seconds'])} in all; by "
            "top-level package (great-expectations is imported by the worker process that "
            "validates the checks' samples, on the other core while the run prepares):",
            "",
            *table(
                ["package", "seconds"],
                [[p["package"], f"{p['seconds']:.2f}"] for p in imports["packages"]],
            ),
            "",
            f"cProfile of the same run ({fmt_s(profile['cprofile']['seconds'])} under the "
            "profiler): carerank's functions (and dagster-dbt's) by cumulative time, below the "
            "command itself; then every function by own time. dbt runs in the run's process "
            "(dbtRunner); great-expectations' validations run in its worker process and show as "
            "waiting for it.",
            "",
            *profile_table(profile["cprofile"]["cumulative"]),
            "",
            *profile_table(profile["cprofile"]["own"]),
        ]
    return out


def profile_table(rows: list[dict]) -> list[str]:
    return table(
        ["function", "calls", "own", "cumulative"],
        [
            [
                f"`{r['function']}`",
                str(r["calls"]),
                f"{r['own_seconds']:.2f}",
                f"{r['cumulative_seconds']:.2f}",
            ]
            for r in rows
        ],
    )


def write_markdown(results: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(markdown(results))
