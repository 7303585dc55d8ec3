"""``carerank run`` as a user runs it (a subprocess of this checkout's code), with its time, the
peak memory of its process tree, and its phases read from the Dagster run it recorded."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from unittest import mock

from benchmarks.measure import Measured, run_measured

REPO = Path(__file__).resolve().parent.parent
DBT_TARGET = REPO / "dbt_project" / "target" / "dagster"
# The steps of a run by phase; every other step is a check (an asset check of great-expectations
# or monitoring, run as its own step).
PHASE_STEPS = {
    "landing": ("raw__posts",),
    "dbt build": ("dbt_facts", "dbt_marts"),
    "publication": ("published__warehouse",),
}


def carerank_env(
    warehouse: Path, memory_limit: str | None = None, repo: Path = REPO
) -> dict[str, str]:
    """The environment `make run` gives carerank, with ``warehouse`` and the checkout ``repo``
    (this one unless told) first on the path (the virtualenv's entry point may belong to another
    checkout); with ``memory_limit``, the setting duckdb_memory_limit as a user sets it."""
    env = {
        **os.environ,
        "CARERANK_WAREHOUSE": str(warehouse),
        "DBT_PROFILES_DIR": str(repo / "dbt_project"),
        "GX_ANALYTICS_ENABLED": "false",
        "DAGSTER_DISABLE_TELEMETRY": "true",
        "PYTHONPATH": str(repo),
    }
    if memory_limit:
        env["CARERANK_DUCKDB_MEMORY_LIMIT"] = memory_limit
    return env


def carerank(
    args: Sequence[str],
    warehouse: Path,
    python_flags: Sequence[str] = (),
    check: bool = True,
    memory_limit: str | None = None,
    repo: Path = REPO,
) -> Measured:
    """``carerank ARGS`` of the checkout ``repo`` (this one unless told) on ``warehouse``,
    measured; a failure stops the benchmark with its output, as a benchmark of a failing run
    would measure nothing useful."""
    measured = run_measured(
        [sys.executable, *python_flags, "-m", "carerank", *args],
        env=carerank_env(warehouse, memory_limit, repo),
        cwd=repo,
    )
    if check and measured.returncode != 0:
        raise RuntimeError(
            f"carerank {' '.join(args)} exited {measured.returncode}:\n"
            f"{measured.stdout[-2000:]}\n{measured.stderr[-4000:]}"
        )
    return measured


def run_args(world: Path, posts: Path | None = None) -> list[str]:
    """The arguments of a run on a generated world's files (or on ``posts`` of it)."""
    return [
        "run",
        "--input",
        str(posts or world / "posts.jsonl"),
        "--brands",
        str(world / "brands.csv"),
        "--accounts",
        str(world / "brand_accounts.csv"),
    ]


def run_phases(dagster_home: Path) -> dict[str, float]:
    """Seconds per phase of the last run recorded in ``dagster_home``, from Dagster's step
    statistics: landing, dbt build, checks, publication, and the run as Dagster saw it."""
    import dagster as dg

    # the instance's event log finds its folder by DAGSTER_HOME; the runs after this one must not
    # inherit it
    with (
        mock.patch.dict(os.environ, {"DAGSTER_HOME": str(dagster_home)}),
        dg.DagsterInstance.from_config(str(dagster_home)) as instance,
    ):
        run = instance.get_runs(limit=1)[0]
        steps = instance.get_run_step_stats(run.run_id)
        stats = instance.get_run_stats(run.run_id)
    phases = dict.fromkeys([*PHASE_STEPS, "checks"], 0.0)
    for step in steps:
        if step.start_time is None or step.end_time is None:
            continue
        phase = next((p for p, keys in PHASE_STEPS.items() if step.step_key in keys), "checks")
        phases[phase] += step.end_time - step.start_time
    phases["dagster run"] = (stats.end_time or 0.0) - (stats.start_time or 0.0)
    return phases


def dbt_nodes(top: int = 8) -> dict:
    """The last run's two dbt builds node by node (their run_results.json): how many models and
    tests ran, their summed time (the rest of the builds' time is dbt's own start-up, parsing
    and Dagster reading its events) and the ``top`` slowest."""
    nodes = []
    for step in PHASE_STEPS["dbt build"]:
        path = DBT_TARGET / step / "run_results.json"
        if path.exists():
            for result in json.loads(path.read_text())["results"]:
                name = result["unique_id"].split(".", 2)[-1]
                nodes.append({"node": name, "seconds": round(result["execution_time"], 2)})
    return {
        "nodes": len(nodes),
        "node_seconds": round(sum(node["seconds"] for node in nodes), 2),
        "slowest": sorted(nodes, key=lambda node: -node["seconds"])[:top],
    }


def timed_run(
    world: Path, warehouse: Path, posts: Path | None = None, memory_limit: str | None = None
) -> dict:
    """One measured ``carerank run`` and its phases; ``startup and report`` is the time outside
    the Dagster run (imports, loading the definitions, checking the inputs, the final report)."""
    measured = carerank(run_args(world, posts), warehouse, memory_limit=memory_limit)
    phases = run_phases(warehouse.parent / "dagster")
    phases["startup and report"] = measured.seconds - phases["dagster run"]
    landed = re.search(r"landed (\d+) posts", measured.stdout)
    return {
        "seconds": round(measured.seconds, 2),
        "cpu_seconds": round(measured.cpu_seconds, 2),
        "peak_rss_mib": round(measured.peak_mib),
        "load_1min": round(os.getloadavg()[0], 1),
        "records_landed": int(landed.group(1)) if landed else None,
        "phases": {name: round(seconds, 2) for name, seconds in phases.items()},
    }
