"""Apache Spark as the warehouse: the dbt project, unchanged, builds on a local Spark (dbt-spark in
session mode) from the landing zone a DuckDB run wrote, and gives the same marts as DuckDB, row
for row. Spark's differences live in the spark__ variants of the dispatched macros; nothing here
knows a model. Without Java or pyspark the module skips and says which is missing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from carerank.synthetic import generate_world
from evaluation.implicit_replies import strip_jsonl
from tests.conftest import REPO, run_cli
from tests.e2e.marts import (
    Marts,
    add_promise_replies,
    assert_promises_found,
    assert_same_marts,
    mart_rows_duckdb,
)

pytestmark = [pytest.mark.e2e, pytest.mark.spark, pytest.mark.xdist_group("spark")]

DBT_PROJECT = REPO / "dbt_project"

# Every option whose SQL differs from the defaults', on both sides: the implicit replies, the
# business-hours clock, the needs_reply base, automated replies out of the response times.
RUN_OPTIONS = [
    *("--implicit-replies", "--exclude-automated"),
    *("--clock", "business"),
    *("--base", "needs_reply"),
]
RULE_VARS = {
    "implicit_replies": True,
    "response_clock": "business",
    "ranking_base": "needs_reply",
    "exclude_automated_from_time": True,
}


def spark_available() -> str | None:
    """Why Spark cannot run here, or None when it can: pyspark and dbt-spark installed (the extra
    spark, which `make install` syncs), and a Java that starts (`make java`)."""
    for module in ("pyspark", "dbt.adapters.spark"):
        try:
            __import__(module)
        except ImportError:
            return f"{module} is not installed (the extra spark: `make install`)"
    java = shutil.which("java", path=os.path.join(os.environ.get("JAVA_HOME", ""), "bin"))
    java = java or shutil.which("java")
    if java is None:
        return "no java on PATH or in JAVA_HOME (`make java` installs Debian's openjdk-17)"
    probe = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:
        return f"{java} -version failed: {probe.stderr.strip()[:200]}"
    return None


def dbt_build_on_spark(spark_dir: Path, dbt_vars: dict[str, Any]) -> subprocess.CompletedProcess:
    """`dbt build` of the project with the spark target, as a user runs it: a new process (its
    own JVM, ended with it), every table rebuilt (--full-refresh: Parquet tables cannot take the
    incremental merges), the metastore and tables under ``spark_dir``, dbt's own output there
    too (dbt_project/target is the other tests')."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CARERANK_", "DBT_"))}
    env.update(
        {
            "CARERANK_DBT_TARGET": "spark",
            "CARERANK_SPARK_DIR": str(spark_dir),
            "DBT_TARGET_PATH": str(spark_dir / "dbt_target"),
            "DBT_LOG_PATH": str(spark_dir / "dbt_logs"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "TZ": "UTC",
        }
    )
    dbt = Path(sys.executable).with_name("dbt")
    args = [
        "build",
        "--full-refresh",
        "--exclude-resource-type",
        "unit_test",
        "--project-dir",
        str(DBT_PROJECT),
        "--profiles-dir",
        str(DBT_PROJECT),
        "--vars",
        json.dumps(dbt_vars),
    ]
    return subprocess.run(
        [str(dbt), *args], cwd=spark_dir, env=env, capture_output=True, text=True, timeout=1200
    )


def mart_rows_spark(spark_dir: Path) -> Marts:
    """The marts Spark wrote: its managed tables are Parquet folders under the warehouse folder
    (spark.sql.warehouse.dir, profiles.yml), read here without starting a second JVM."""
    marts = spark_dir / "warehouse" / "marts.db"
    out = {}
    with duckdb.connect() as con:
        for table in sorted(p for p in marts.iterdir() if p.is_dir()):
            files = str(table / "*.parquet").replace("'", "''")
            cursor = con.execute(f"select * from read_parquet('{files}')")
            out[table.name] = ([d[0] for d in cursor.description], cursor.fetchall())
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Any]:
    """A generated world, a third of its brand replies without their reply link (answered
    implicitly), run into DuckDB by `carerank run`; then the dbt project built on Spark with the
    same rules from the landing zone and registry files that run wrote."""
    reason = spark_available()
    if reason:
        pytest.skip(f"Spark target not testable here: {reason}")
    root = tmp_path_factory.mktemp("spark")
    world = root / "in"
    generate_world(n_brands=6, n_posts=1500, n_days=40, seed=23).write(world)
    add_promise_replies(world)
    posts = root / "posts.jsonl"
    strip_jsonl(world / "posts.jsonl", posts, world / "brand_accounts.csv", 0.3, 7)
    duck_dir = root / "duck"
    duck = run_cli(
        "run",
        "--input",
        str(posts),
        "--brands",
        str(world / "brands.csv"),
        "--accounts",
        str(world / "brand_accounts.csv"),
        "--warehouse",
        str(duck_dir / "warehouse.duckdb"),
        *RUN_OPTIONS,
    )
    assert duck.returncode == 0, duck.stdout + duck.stderr
    # the registry files the DuckDB run read: the user's copies and their countries' holidays
    registry = duck_dir / "registry"
    dbt_vars = {
        "landing_dir": str(duck_dir / "landing"),
        "brands_file": str(registry / "brands.csv"),
        "accounts_file": str(registry / "brand_accounts.csv"),
        "holidays_file": str(registry / "public_holidays.csv"),
        **RULE_VARS,
    }
    spark_dir = root / "spark_warehouse"
    spark_dir.mkdir()
    spark = dbt_build_on_spark(spark_dir, dbt_vars)
    return {
        "spark": spark,
        "duck_marts": mart_rows_duckdb(duck_dir / "warehouse.duckdb"),
        "spark_dir": spark_dir,
    }


def test_the_project_builds_on_spark_and_its_data_tests_pass(built):
    spark = built["spark"]
    log = spark.stdout + spark.stderr
    assert spark.returncode == 0, log[-8000:]
    # the one warning DuckDB's build gives too (a reply stamped before its post, generated)
    assert "ERROR=0" in spark.stdout and "PASS=" in spark.stdout, spark.stdout[-4000:]


def test_every_mart_on_spark_equals_duckdb(built):
    assert built["spark"].returncode == 0, built["spark"].stdout[-4000:]
    duck = built["duck_marts"]
    spark = mart_rows_spark(built["spark_dir"])
    assert {"fct_customer_posts", "rpt_brand_ranking", "agg_brand_daily"} <= set(duck)
    assert all(rows for _, rows in duck.values())
    columns, facts = duck["fct_customer_posts"]
    match_types = {row[columns.index("match_type")] for row in facts}
    assert {"direct", "implicit"} <= match_types, "the world exercises both kinds of reply"
    assert_promises_found(duck)
    assert_same_marts(duck, spark, engine="Spark")
