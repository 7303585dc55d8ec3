"""The report as a reader opens it: from disk, in a real headless chromium with no network. The
page must load without an error, ask for nothing outside its folder, draw every chart and show
the ranks `carerank ranking` prints."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from carerank.synthetic import generate_world
from tests.conftest import run_cli
from tests.e2e.browser import SKIP_REASON, chromium, chromium_path

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("report_browser")]

CHARTS = ("rate_vs_time", "sla_by_industry", "response_times", "rank_history")
LOCAL_SCHEMES = ("file:", "data:", "about:")
TOP = 10
# A brand whose name would run if the page let it through: the browser would open a dialog.
SCRIPT_NAME = "<script>alert(1)</script>"

# Drawn marks of a chart: the shapes inside its marks-… groups that cover any area on screen.
COUNT_MARKS = """svg => [...svg.querySelectorAll('[id^="marks-"]')]
    .flatMap(group => [group, ...group.querySelectorAll('*')])
    .filter(el => el instanceof SVGGraphicsElement && !(el instanceof SVGGElement))
    .filter(el => { const box = el.getBoundingClientRect(); return box.width + box.height > 0; })
    .length"""


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    if chromium_path() is None:
        pytest.skip(SKIP_REASON)
    root = tmp_path_factory.mktemp("report_browser")
    generate_world(n_brands=6, n_posts=900, n_days=40, seed=23).write(root / "in")
    brands = pd.read_csv(root / "in" / "brands.csv", dtype=str)
    brands.loc[0, "brand_name"] = SCRIPT_NAME
    brands.to_csv(root / "in" / "brands.csv", index=False)
    files = {"--input": "posts.jsonl", "--brands": "brands.csv", "--accounts": "brand_accounts.csv"}
    options = [part for option, name in files.items() for part in (option, str(root / "in" / name))]
    run = run_cli("run", *options, "--warehouse", str(root / "data" / "warehouse.duckdb"))
    assert run.returncode == 0, run.stdout + run.stderr
    return root


def _warehouse(world: Path) -> str:
    return str(world / "data" / "warehouse.duckdb")


def _busiest_network(world: Path) -> str:
    """The network (not 'all') with the most ranked brands in the latest quarter."""
    published = world / "data" / "published" / "warehouse.duckdb"
    with duckdb.connect(str(published), read_only=True) as con:
        return con.execute(
            "select network from marts.rpt_brand_ranking where period_type = 'quarter' "
            "and network != 'all' group by network, period_start "
            "order by period_start desc, count(rank) desc, network limit 1"
        ).fetchone()[0]


@pytest.fixture(scope="module", params=["all", "a network"])
def opened(request, world):
    """The report of the latest quarter on 'all' and on one network, open in chromium, with
    everything the page logged, raised and requested."""
    network = request.param if request.param == "all" else _busiest_network(world)
    out = world / f"report-{network}"
    made = run_cli(
        "report", "--network", network, "--top", str(TOP), "--out", str(out),
        "--warehouse", _warehouse(world),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    seen: dict[str, list[str]] = {"console": [], "errors": [], "requests": [], "dialogs": []}
    with chromium() as browser:
        page = browser.new_page()
        page.on("console", lambda m: m.type == "error" and seen["console"].append(m.text))
        page.on("pageerror", lambda e: seen["errors"].append(str(e)))
        page.on("request", lambda r: seen["requests"].append(r.url))
        page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
        page.goto((out / "index.html").as_uri(), wait_until="load")
        page.wait_for_load_state("networkidle")
        yield network, page, seen


def test_the_page_loads_offline_without_errors(opened):
    _, _, seen = opened
    assert seen["console"] == [] and seen["errors"] == [] and seen["dialogs"] == []
    assert seen["requests"], "the page itself was not requested"
    outside = [url for url in seen["requests"] if not url.startswith(LOCAL_SCHEMES)]
    assert outside == [], f"the page asked the network for {outside}"


def test_every_chart_draws_its_marks(opened):
    _, page, _ = opened
    for name in CHARTS:
        svg = page.locator(f"svg#chart-{name}")
        assert svg.count() == 1, f"no chart {name}"
        assert svg.evaluate(COUNT_MARKS) > 0, f"{name}: no mark drawn"


def test_the_table_shows_the_ranks_of_carerank_ranking(opened, world):
    network, page, _ = opened
    title = page.locator("h1#title").inner_text()
    period = title.split(" · ")[0].removeprefix("carerank ")
    listed = run_cli(
        "ranking", "--period", period, "--network", network, "--format", "csv",
        "--warehouse", _warehouse(world),
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    expected = pd.read_csv(StringIO(listed.stdout), dtype={"brand_name": str})
    expected = expected[expected["rank"] <= TOP]
    ranks = page.locator("#ranking-table tbody td.rank").all_inner_texts()
    names = page.locator("#ranking-table tbody td.brand").all_inner_texts()
    assert len(ranks) > 0
    assert [int(r) for r in ranks] == expected["rank"].astype(int).tolist()
    assert names == expected["brand_name"].tolist()
