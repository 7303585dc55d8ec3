"""Two versions of carerank on the bundled sample (or a bigger generated world), run in turns:
how to tell a change's effect on a machine whose speed drifts by more than the change. On a shared
machine the same code's sample run moves by seconds from one quarter of an hour to the next, so a
figure measured today cannot be set against one measured yesterday; runs of both versions taken
in turns see the same drift.

    python -m benchmarks.bench_ab --base REF [--runs 5] [--size sample|100k|1m|10m]
    (`make bench-ab BASE=REF`)

The version under test is this checkout's working tree as it is (uncommitted changes included);
the base is REF checked out into a temporary git worktree, run with this checkout's
virtualenv. Each version first runs once unmeasured (its dbt parse and caches), then the pairs
alternate which version goes first. Every run lands the sample into a new data folder. Printed:
each pair's wall and CPU time (the process tree's user and system time), the median differences
and how many pairs the change won; `--json` also writes them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from benchmarks.bench_pipeline import SAMPLE
from benchmarks.carerank_runs import REPO, carerank, run_args
from benchmarks.worlds import SIZES, ensure_world


@contextlib.contextmanager
def worktree(ref: str, repo: Path = REPO) -> Iterator[Path]:
    """``ref`` checked out (detached) into a temporary worktree of ``repo``, removed after."""
    with tempfile.TemporaryDirectory(prefix="carerank-ab-") as tmp:
        path = Path(tmp) / "base"
        subprocess.run(
            ["git", "-C", str(repo), "worktree", "add", "--detach", "--quiet", str(path), ref],
            check=True,
        )
        try:
            yield path
        finally:
            subprocess.run(
                ["git", "-C", str(repo), "worktree", "remove", "--force", str(path)], check=False
            )


def run_once(checkout: Path, world: Path, folder: Path) -> dict:
    """`carerank run` of ``checkout`` on the world, into the new data folder ``folder``."""
    measured = carerank(run_args(world), folder / "warehouse.duckdb", repo=checkout)
    return {"seconds": round(measured.seconds, 2), "cpu_seconds": round(measured.cpu_seconds, 2)}


def order(pair: int) -> tuple[str, str]:
    """Which version runs first in a pair: alternating, so neither always follows the other."""
    return ("base", "head") if pair % 2 == 0 else ("head", "base")


def summarise(pairs: list[dict[str, dict]]) -> dict:
    """Median differences head - base (negative: the change is faster) and the pairs won."""
    wall = [p["head"]["seconds"] - p["base"]["seconds"] for p in pairs]
    cpu = [p["head"]["cpu_seconds"] - p["base"]["cpu_seconds"] for p in pairs]
    base_median = statistics.median(p["base"]["seconds"] for p in pairs)
    return {
        "pairs": len(pairs),
        "median_wall_difference": round(statistics.median(wall), 2),
        "median_cpu_difference": round(statistics.median(cpu), 2),
        "median_wall_ratio": round(
            statistics.median(p["head"]["seconds"] / p["base"]["seconds"] for p in pairs), 3
        ),
        "base_median_seconds": round(base_median, 2),
        "head_faster_pairs": sum(d < 0 for d in wall),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD", help="git ref to compare with (default HEAD)")
    parser.add_argument("--runs", type=int, default=5, help="measured pairs (default 5)")
    parser.add_argument(
        "--size", default="sample", choices=["sample", *SIZES], help="world (default sample)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    world = ensure_world(SAMPLE if args.size == "sample" else SIZES[args.size], print)
    pairs: list[dict[str, dict]] = []
    with worktree(args.base) as base, tempfile.TemporaryDirectory(prefix="carerank-ab-") as tmp:
        checkouts = {"base": base, "head": REPO}
        for name, checkout in checkouts.items():
            run_once(checkout, world, Path(tmp) / f"warm-{name}")
        for pair in range(args.runs):
            runs = {}
            for name in order(pair):
                runs[name] = run_once(checkouts[name], world, Path(tmp) / f"{pair}-{name}")
            pairs.append(runs)
            print(
                f"pair {pair + 1}: base {runs['base']['seconds']:.2f} s "
                f"(CPU {runs['base']['cpu_seconds']:.2f} s), head {runs['head']['seconds']:.2f} s "
                f"(CPU {runs['head']['cpu_seconds']:.2f} s)",
                flush=True,
            )
    summary = summarise(pairs)
    print(
        f"head - base ({args.base}), median of {summary['pairs']} pairs: "
        f"{summary['median_wall_difference']:+.2f} s wall "
        f"(x{summary['median_wall_ratio']:.3f}), {summary['median_cpu_difference']:+.2f} s CPU; "
        f"head faster in {summary['head_faster_pairs']} of {summary['pairs']} pairs"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps({"base": args.base, "pairs": pairs, "summary": summary}, indent=2) + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
