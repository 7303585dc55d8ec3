"""`make bench`: what carerank costs, against a hand-written DuckDB script and plain pandas
computing the same per-brand figures from the same generated files, on worlds of 100 k, 1 M
(and 10 M) customer posts; plus the bundled sample, `carerank ranking`, the nightly scenario
and a profile of a small run. Writes data/bench/bench.json and docs/benchmarks.md.

Every program runs as its own process, as a user runs it: its wall time and the peak resident
memory of its process tree are measured from outside (benchmarks/measure.py). The worlds are
generated once and kept in ~/.cache/carerank-bench (benchmarks/worlds.py).

    .venv/bin/python -m benchmarks.bench_pipeline --sizes 100k 1m
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from benchmarks.agreement import disagreements, published_figures, read_figures
from benchmarks.carerank_runs import REPO, carerank, carerank_env, dbt_nodes, timed_run
from benchmarks.measure import run_measured
from benchmarks.nightly import nightly
from benchmarks.profile_run import cprofile, import_times
from benchmarks.report import write_markdown
from benchmarks.worlds import SIZES, WorldSpec, cache_root, ensure_world

# `carerank generate`'s default world: the bundled sample of `make run`.
SAMPLE = WorldSpec("sample", posts=20_000, brands=20, days=92, seed=7)
BASELINES = {"duckdb": "benchmarks.duckdb_baseline", "pandas": "benchmarks.pandas_baseline"}
VERSIONS = ("duckdb", "dbt-core", "dbt-duckdb", "dagster", "dagster-dbt", "pandas")
# Sizes measured as a user with a memory budget runs them: carerank with the setting
# duckdb_memory_limit, the DuckDB script with the same limit. 10 M posts are to fit in 4 GiB
# (the whole process tree), so DuckDB gets 3 GB of it.
MEMORY_LIMITS = {"10m": "3GB"}


def log(message: str) -> None:
    print(message, flush=True)


def baseline(name: str, world: Path, out: Path, memory_limit: str | None = None) -> dict:
    """One baseline's run on ``world``, measured as a process of its own (the DuckDB script
    within ``memory_limit`` when given)."""
    limit = ["--memory-limit", memory_limit] if memory_limit and name == "duckdb" else []
    measured = run_measured(
        [
            sys.executable,
            "-m",
            BASELINES[name],
            str(world / "posts.jsonl"),
            str(world / "brand_accounts.csv"),
            str(out),
            *limit,
        ],
        env=carerank_env(out.with_suffix(".duckdb")),
        cwd=REPO,
    )
    if measured.returncode != 0:
        raise RuntimeError(f"{name} baseline failed:\n{measured.stderr[-4000:]}")
    return {
        "seconds": round(measured.seconds, 2),
        "cpu_seconds": round(measured.cpu_seconds, 2),
        "peak_rss_mib": round(measured.peak_mib),
        "load_1min": round(os.getloadavg()[0], 1),
        "compute_seconds": round(float(measured.stdout.split()[-1]), 2),
    }


def baselines_for(spec: WorldSpec) -> list[str]:
    """The baselines worth running on ``spec``'s world: plain pandas holds every table in memory
    (7.5 GiB at 1M posts), so at 10M it would need several times this machine's RAM."""
    return [name for name in BASELINES if not (name == "pandas" and spec.posts > 1_000_000)]


def bench_size(spec: WorldSpec, root: Path) -> dict:
    """carerank, the DuckDB script and pandas on one world, and whether all three agree."""
    world = ensure_world(spec, log)
    warehouse = root / spec.name / "warehouse.duckdb"
    memory_limit = MEMORY_LIMITS.get(spec.name)
    log(
        f"{spec.name}: carerank run"
        + (f" (duckdb_memory_limit {memory_limit})" if memory_limit else "")
    )
    result: dict = {
        "customer_posts": spec.posts,
        "brands": spec.brands,
        "days": spec.days,
        "duckdb_memory_limit": memory_limit,
        "carerank": timed_run(world, warehouse, memory_limit=memory_limit),
    }
    ours = published_figures(warehouse.parent / "published" / "warehouse.duckdb")
    agreement = {}
    for name in baselines_for(spec):
        log(f"{spec.name}: {name} baseline")
        out = root / spec.name / f"{name}.csv"
        result[name] = baseline(name, world, out, memory_limit)
        problems = disagreements(ours, read_figures(out))
        agreement[name] = problems or "agree"
        for problem in problems:
            log(f"  carerank vs {name}: {problem}")
    result["agreement"] = agreement
    result["figure_rows"] = len(ours)
    for name in baselines_for(spec):
        ratio = result["carerank"]["seconds"] / result[name]["seconds"]
        result[f"ratio_to_{name}"] = round(ratio, 2)
    log(f"{spec.name}: {json.dumps(result)}")
    return result


def bench_sample(root: Path) -> dict:
    """`make run`'s sample: the run, `carerank ranking` after it, and the dbt nodes it spent
    most on."""
    world = ensure_world(SAMPLE, log)
    warehouse = root / "sample" / "warehouse.duckdb"
    run = timed_run(world, warehouse)
    nodes = dbt_nodes()
    ranking = carerank(["ranking", "--limit", "15"], warehouse)
    return {
        "run": run,
        "dbt_nodes": nodes,
        "ranking": {
            "seconds": round(ranking.seconds, 2),
            "cpu_seconds": round(ranking.cpu_seconds, 2),
            "peak_rss_mib": round(ranking.peak_mib),
        },
    }


def bench_profile(root: Path) -> dict:
    world = ensure_world(SAMPLE, log)
    return {
        "imports": import_times(world, root / "imports" / "warehouse.duckdb"),
        "cprofile": cprofile(world, root / "cprofile" / "warehouse.duckdb", root / "run.prof"),
    }


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text().split("\n", 1)[0].split()
    return {
        "cores": os.cpu_count(),
        "ram_gib": round(int(meminfo[1]) / 2**20, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        **{package: metadata.version(package) for package in VERSIONS},
    }


def previous(path: Path) -> dict:
    """The last results, whose sizes and sections this run does not measure are kept."""
    return json.loads(path.read_text()) if path.exists() else {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", default=["100k", "1m"], choices=sorted(SIZES))
    parser.add_argument("--skip", nargs="*", default=[], choices=["sample", "nightly", "profile"])
    parser.add_argument("--json", type=Path, default=REPO / "data" / "bench" / "bench.json")
    parser.add_argument("--markdown", type=Path, default=REPO / "docs" / "benchmarks.md")
    args = parser.parse_args()

    results = previous(args.json)
    results.update(machine=machine(), date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    sections: dict[str, Callable[[Path], dict]] = {
        "sample": bench_sample,
        "nightly": lambda root: nightly(ensure_world(SIZES["100k"], log), root / "nightly"),
        "profile": bench_profile,
    }
    cache_root().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="warehouses-", dir=cache_root()) as tmp:
        root = Path(tmp)
        for name in args.sizes:
            results.setdefault("sizes", {})[name] = bench_size(SIZES[name], root)
            save(results, args)
        for name, section in sections.items():
            if name not in args.skip:
                log(f"{name}")
                results[name] = section(root)
                save(results, args)
    log(f"wrote {args.json} and {args.markdown}")
    print(args.markdown.read_text())


def save(results: dict, args: argparse.Namespace) -> None:
    """Write what is measured so far: a long benchmark stopped midway keeps its figures."""
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    write_markdown(results, args.markdown)


if __name__ == "__main__":
    main()
