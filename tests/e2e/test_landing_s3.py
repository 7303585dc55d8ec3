"""`carerank run` with the landing zone on S3 (a real S3-compatible server on loopback): the same
marts as with a local landing zone, nothing landed on the local disk, and a second run over one
of the days (re-landing it) changes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from carerank.synthetic import generate_world
from ingestion.storage import s3_filesystem
from tests.conftest import S3_TEST_ENV, run_cli, world_inputs

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("landing_s3")]
START = date(2026, 7, 1)
DAYS = [START + timedelta(days=i) for i in range(3)]
MARTS = ("fct_customer_posts", "agg_brand_daily", "rpt_brand_ranking")


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("world")
    generate_world(n_brands=5, n_posts=500, n_days=len(DAYS), seed=11, start=START).write(root)
    return root


def run(world: Path, warehouse: Path, first: date, last: date, env: dict[str, str]) -> None:
    """A run as a user starts it; the warehouse from the environment, as the landing zone is
    (a --warehouse on the command line is a data folder of its own, landing zone included)."""
    result = run_cli(
        "run",
        *world_inputs(world),
        "--start",
        first.isoformat(),
        "--end",
        last.isoformat(),
        env={"CARERANK_WAREHOUSE": str(warehouse), **env},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert S3_TEST_ENV["AWS_SECRET_ACCESS_KEY"] not in result.stdout + result.stderr


def marts(warehouse: Path) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {m: con.execute(f"select * from marts.{m} order by all").df() for m in MARTS}


def test_an_s3_landing_zone_gives_the_marts_of_a_local_one(world, s3_endpoint, tmp_path):
    local = tmp_path / "local" / "warehouse.duckdb"
    run(world, local, DAYS[0], DAYS[-1], {})
    fs = s3_filesystem(s3_endpoint)
    fs.mkdir("carerank-e2e")
    on_s3 = tmp_path / "s3" / "warehouse.duckdb"
    s3_env = {
        "CARERANK_LANDING_DIR": "s3://carerank-e2e/landing",
        "CARERANK_S3_ENDPOINT_URL": s3_endpoint,
    }
    run(world, on_s3, DAYS[0], DAYS[-1], s3_env)

    expected = marts(local)
    assert len(expected["fct_customer_posts"]) > 0
    got = marts(on_s3)
    for name in MARTS:
        pd.testing.assert_frame_equal(got[name], expected[name], obj=name)
    # the landed files are in the bucket, laid out as on disk, and not on the local disk
    keys = {key.removeprefix("carerank-e2e/landing/") for key in fs.find("carerank-e2e")}
    landed = tmp_path / "local" / "landing"
    assert keys == {
        str(p.relative_to(landed))
        for p in landed.rglob("*")
        if p.is_file() and ".tmp" not in p.parts
    }
    assert not (on_s3.parent / "landing").exists()

    # re-landing one day replaces its objects: the same marts
    run(world, on_s3, DAYS[1], DAYS[1], s3_env)
    again = marts(on_s3)
    for name in MARTS:
        pd.testing.assert_frame_equal(again[name], expected[name], obj=name)
