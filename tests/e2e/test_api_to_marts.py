"""From the API to the marts: a day fetched from a (loopback) X API ends in facts that equal the
server's own truth, through `carerank ingest` and `carerank run`, and through the Dagster asset."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import dagster as dg
import duckdb
import pytest

from ingestion.warehouse import refresh_raw_views
from orchestration.defs.api_ingestion import api_asset
from orchestration.resource_types import WarehouseResource
from orchestration.settings import load_settings
from tests.conftest import run_cli
from tests.ingestion.fake_apis import FakeApis, Post

pytestmark = pytest.mark.e2e
DAYS = [date(2024, 3, 4) + timedelta(days=i) for i in range(4)]
ACCOUNTS = (
    "brand_id,network,account_id,handle,is_primary,timezone,business_hours\n"
    "acme,twitter,100,Acme,true,UTC,\n"
    "acme,twitter,101,AcmeHelp,false,UTC,\n"
    "zen,twitter,200,zen,true,UTC,\n"
)
BRANDS = "brand_id,brand_name,industry,country\nacme,Acme,retail,US\nzen,Zen,telecom,GB\n"


def build_world(api: FakeApis) -> dict[tuple[str, str], dict]:
    """Customer posts to acme or zen; some answered (by acme's care account too, some after
    midnight or days later), some not. Returns the truth per (post, brand)."""
    rng = random.Random(4)
    truth, n = {}, 1000
    start = datetime.combine(DAYS[0], datetime.min.time(), tzinfo=UTC)
    end = start + timedelta(days=len(DAYS))
    for i in range(40):
        brand, handle, accounts = rng.choice(
            [("acme", "acme", ["100", "101"]), ("zen", "zen", ["200"])]
        )
        created = start + timedelta(seconds=rng.randrange(len(DAYS) * 86400))
        pid = str(n := n + 1)
        question = rng.random() < 0.5
        api.posts.append(
            Post(
                "twitter",
                pid,
                f"9{i}",
                f"cust{i}",
                created,
                f"@{handle.upper()} help{'?' if question else '.'}",
                mentions=[handle],
            )
        )
        delay = timedelta(minutes=rng.choice([3, 45, 600, 2000, 4000]))
        answered = rng.random() < 0.6 and created + delay < end
        row = {"status": "pending", "first_reply_post_id": None}
        if answered:
            account = rng.choice(accounts)
            rid = str(n := n + 1)
            api.posts.append(
                Post(
                    "twitter",
                    rid,
                    account,
                    {"100": "Acme", "101": "AcmeHelp", "200": "zen"}[account],
                    created + delay,
                    "@cust sorry",
                    pid,
                    f"9{i}",
                    [f"cust{i}"],
                )
            )
            row = {"status": "answered", "first_reply_post_id": rid}
        truth[(pid, brand)] = row
    return truth


def test_api_day_to_facts_equals_server_truth(tmp_path):
    (tmp_path / "accounts.csv").write_text(ACCOUNTS)
    (tmp_path / "brands.csv").write_text(BRANDS)
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    with FakeApis() as api:
        truth = build_world(api)
        env = {
            "CARERANK_X_BEARER_TOKEN": "secret-token",
            "CARERANK_X_BASE_URL": api.url,
            "CARERANK_X_BACKOFF": "0.01",
        }
        for day in DAYS:
            result = run_cli(
                "ingest",
                "--network",
                "x",
                "--date",
                day.isoformat(),
                "--accounts",
                str(tmp_path / "accounts.csv"),
                "--warehouse",
                str(warehouse),
                env=env,
            )
            assert result.returncode == 0, result.stderr
            assert "posts landed" in result.stdout
    result = run_cli(
        "run",
        "--start",
        DAYS[0].isoformat(),
        "--end",
        DAYS[-1].isoformat(),
        "--brands",
        str(tmp_path / "brands.csv"),
        "--accounts",
        str(tmp_path / "accounts.csv"),
        "--warehouse",
        str(warehouse),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    with duckdb.connect(str(warehouse), read_only=True) as con:
        facts = {
            (pid, brand): {"status": status, "first_reply_post_id": reply}
            for pid, brand, status, reply in con.execute(
                "select post_id, brand_id, status, first_reply_post_id "
                "from marts.fct_customer_posts"
            ).fetchall()
        }
    assert facts == truth


def test_dagster_api_asset_reports_its_work(tmp_path, monkeypatch):
    (tmp_path / "accounts.csv").write_text(ACCOUNTS)
    with FakeApis() as api:
        build_world(api)
        monkeypatch.setenv("CARERANK_X_BEARER_TOKEN", "secret-token")
        monkeypatch.setenv("CARERANK_X_BASE_URL", api.url)
        monkeypatch.setenv("CARERANK_ACCOUNTS_FILE", str(tmp_path / "accounts.csv"))
        warehouse = WarehouseResource(
            path=str(tmp_path / "wh.duckdb"),
            landing_dir=str(tmp_path / "landing"),
            inbox_dir=str(tmp_path / "inbox"),
            published=str(tmp_path / "published" / "wh.duckdb"),
        )
        settings = load_settings().settings  # as a run reads them: token, base URL, accounts
        result = dg.materialize(
            [api_asset("x", settings)],
            partition_key=DAYS[1].isoformat(),
            resources={"warehouse": warehouse},
        )
    assert result.success
    metadata = result.asset_materializations_for_node("landing__x_api")[0].metadata
    assert metadata["posts_landed"].value > 0 and metadata["accounts"].value == 3
    refresh_raw_views(tmp_path / "wh.duckdb", tmp_path / "landing")
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        days = con.execute("select distinct _partition from raw.posts").fetchall()
    assert days == [(DAYS[1],)]
