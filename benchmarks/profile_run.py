"""Where a small run's time goes: what its imports cost (``python -X importtime``) and its
functions by cumulative time (cProfile of the run's process; dbt runs in it, and its nodes are
broken down by ``dbt_nodes`` as well; great-expectations validates in a worker process, whose
work shows as waiting for it)."""

from __future__ import annotations

import pstats
import re
from collections import defaultdict
from pathlib import Path

from benchmarks.carerank_runs import REPO, carerank, run_args

# carerank's own code and its dbt and great-expectations glue: what the cumulative table shows.
OUR_PACKAGES = ("carerank/", "ingestion/", "orchestration/", "dagster_dbt/")
IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def import_times(world: Path, warehouse: Path, top: int = 10) -> dict:
    """Seconds spent importing, in all and per top-level package (cumulative, largest first)."""
    measured = carerank(run_args(world), warehouse, python_flags=["-X", "importtime"])
    per_package: dict[str, int] = defaultdict(int)
    total = 0
    for line in measured.stderr.splitlines():
        match = IMPORT_LINE.match(line)
        if not match or match.group(3) != " ":  # only the modules imported at top level
            continue
        cumulative, name = int(match.group(2)), match.group(4)
        per_package[name.split(".")[0]] += cumulative
        total += cumulative
    ranked = sorted(per_package.items(), key=lambda item: -item[1])[:top]
    return {
        "total_seconds": round(total / 1e6, 2),
        "packages": [{"package": p, "seconds": round(us / 1e6, 2)} for p, us in ranked],
    }


def cprofile(world: Path, warehouse: Path, out: Path, top: int = 15) -> dict:
    """carerank's functions (and dagster-dbt's) by cumulative time, leaving out the spine every
    call goes through (the entry point, the command, the Dagster run: over 90% of the whole),
    and every function by own time."""
    carerank(run_args(world), warehouse, python_flags=["-m", "cProfile", "-o", str(out)])
    stats = pstats.Stats(str(out)).stats  # type: ignore[attr-defined]
    whole = max(cumulative for (_, _, _, cumulative, _) in stats.values())
    rows = [
        {
            "function": _where(filename, line, name),
            "calls": calls,
            "own_seconds": round(own, 2),
            "cumulative_seconds": round(cumulative, 2),
        }
        for (filename, line, name), (_, calls, own, cumulative, _) in stats.items()
    ]
    below_spine = [r for r in rows if r["cumulative_seconds"] < 0.9 * whole]
    ours = [r for r in below_spine if r["function"].startswith(OUR_PACKAGES)]
    return {
        "seconds": round(whole, 2),
        "cumulative": sorted(ours, key=lambda r: -r["cumulative_seconds"])[:top],
        "own": sorted(rows, key=lambda r: -r["own_seconds"])[:top],
    }


def _where(filename: str, line: int, name: str) -> str:
    """A function's place, its path cut after site-packages or the checkout."""
    for marker in ("site-packages/", f"{REPO}/", "/lib/python3.11/"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            break
    return f"{filename}:{line}({name})" if line else name
