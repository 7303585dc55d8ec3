"""SIGKILL at several points of `carerank run` (landing, dbt build, checks, publishing): the next
run completes and its tables equal those of an uninterrupted run; no reader ever sees a
half-written landing file or published warehouse."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pandas as pd
import pytest
from filelock import FileLock

from carerank.synthetic import generate_world
from tests.conftest import REPO

# One pytest-xdist worker runs the module: the clean run is made once, not once per worker.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("crash_safety")]
MARTS = ("fct_customer_posts", "agg_brand_daily", "rpt_brand_ranking", "dim_brands")


def start_run(inputs, warehouse) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CARERANK_", "DAGSTER_HOME"))}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "carerank",
            "run",
            "--input",
            str(inputs / "posts.jsonl"),
            "--brands",
            str(inputs / "brands.csv"),
            "--accounts",
            str(inputs / "brand_accounts.csv"),
            "--warehouse",
            str(warehouse),
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def marts(warehouse) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {m: con.execute(f"select * from marts.{m} order by all").df() for m in MARTS}


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    root = tmp_path_factory.mktemp("crash")
    generate_world(n_brands=8, n_posts=1500, n_days=20, seed=21).write(root / "in")
    began = time.monotonic()
    run = start_run(root / "in", root / "clean" / "warehouse.duckdb")
    _, err = run.communicate(timeout=600)
    assert run.returncode == 0, err
    return root, time.monotonic() - began, marts(root / "clean" / "warehouse.duckdb")


@pytest.mark.parametrize("fraction", [0.15, 0.5, 0.85])
def test_killed_run_then_rerun_equals_clean_run(clean, fraction, tmp_path):
    root, duration, expected = clean
    warehouse = tmp_path / "warehouse.duckdb"
    run = start_run(root / "in", warehouse)
    time.sleep(duration * fraction)
    run.send_signal(signal.SIGKILL)
    run.communicate(timeout=60)
    # whatever is visible now is whole: every landed file and any published copy opens
    for part in (tmp_path / "landing" / "posts").rglob("*.parquet"):
        duckdb.execute("select count(*) from read_parquet(?)", [str(part)]).fetchone()
    published = tmp_path / "published" / "warehouse.duckdb"
    if published.exists():
        with duckdb.connect(str(published), read_only=True) as con:
            con.execute("select count(*) from marts.rpt_brand_ranking").fetchone()
    rerun = start_run(root / "in", warehouse)
    _, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err
    got = marts(warehouse)
    for name in MARTS:
        pd.testing.assert_frame_equal(got[name], expected[name], obj=name)
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_customer_posts").fetchone()[0] == len(
            expected["fct_customer_posts"]
        )


def test_a_second_writer_waits_for_the_first(clean, tmp_path):
    """While another run holds the warehouse's writer lock, `carerank run` says so in one line
    and waits, writing nothing; when the lock is released it runs to the same tables."""
    root, _, expected = clean
    warehouse = tmp_path / "warehouse.duckdb"
    first_writer = FileLock(f"{warehouse}.lock")
    first_writer.acquire()
    run = start_run(root / "in", warehouse)
    try:
        waiting = run.stderr.readline()
        while waiting and "waiting" not in waiting:
            waiting = run.stderr.readline()
        assert f"another carerank run is writing {warehouse}" in waiting
        time.sleep(2)
        assert run.poll() is None and not warehouse.exists()
        assert not (tmp_path / "published").exists()
    finally:
        first_writer.release()
    _, err = run.communicate(timeout=600)
    assert run.returncode == 0, err
    got = marts(warehouse)
    for name in MARTS:
        pd.testing.assert_frame_equal(got[name], expected[name], obj=name)


def test_a_warehouse_of_an_earlier_version_upgrades_itself(clean, tmp_path):
    """A warehouse whose ranking lacks columns added since, built under another project
    fingerprint: the next run adds the columns and rebuilds every row, as a clean run would."""
    root, _, expected = clean
    old = tmp_path / "old"
    shutil.copytree(root / "clean", old)
    with duckdb.connect(str(old / "warehouse.duckdb")) as con:
        for column in ("previous_rank", "rank_change", "previous_response_rate"):
            con.execute(f"alter table marts.rpt_brand_ranking drop column {column}")
        con.execute("alter table marts.rpt_brand_ranking drop column response_rate_change")
        con.execute("update audit.rebuild_settings set fingerprint = 'an earlier version'")
    run = start_run(root / "in", old / "warehouse.duckdb")
    _, err = run.communicate(timeout=600)
    assert run.returncode == 0, err
    with duckdb.connect(str(old / "warehouse.duckdb"), read_only=True) as con:
        for name in MARTS:
            # the columns a version adds come last in an older table: read them in the clean
            # table's order
            columns = ", ".join(f'"{c}"' for c in expected[name].columns)
            upgraded = con.execute(f"select {columns} from marts.{name} order by all").df()
            pd.testing.assert_frame_equal(upgraded, expected[name], obj=name)
