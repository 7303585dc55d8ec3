"""`carerank report` on a small generated world whose brand names are hostile: every file of the
folder is written, the ranks are those of `carerank ranking`, the methodology names the input by
its checksum, names with markup or math stay text, mistakes are one line, and a report that fails
leaves the previous one as it was."""

from __future__ import annotations

import hashlib
import shutil
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from carerank.report import ReportError, charts, write_report
from carerank.synthetic import generate_world
from tests.conftest import run_cli

# One pytest-xdist worker runs the module: the pipeline runs once, not once per worker.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("report")]

SCRIPT_NAME = "<script>alert(1)</script>"
MATH_NAME = "$x$ & Co"
IMAGE_NAME = "<img src=x onerror=alert(2)>"
CHARTS = ("rate_vs_time", "sla_by_industry", "response_times", "rank_history")
TABLES = ("ranking", "thin_brands", "sla_by_industry", "methodology", "input_files")
TABLES += ("data_quality", "landed_posts", "quarantine_rules", "check_results")


class Page(HTMLParser):
    """The elements and texts of a page: every start tag, and each text with the ids and
    classes of the elements around it."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.texts: list[tuple[tuple[str, ...], str]] = []
        self._open: list[str] = []
        self._row = 0
        self._rows: list[int] = []
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._row += tag == "tr"
        if tag in ("meta", "br", "img", "link", "input", "hr"):
            return  # void elements: no end tag
        found = dict(attrs)
        self._open.append(f"{tag}#{found.get('id') or ''}.{found.get('class') or ''}")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self._open and not self._open.pop().startswith(f"{tag}#"):
            pass

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.texts.append((tuple(self._open), data.strip()))
            self._rows.append(self._row)

    def texts_in(self, marker: str) -> list[str]:
        """Texts inside an element whose tag#id.class holds ``marker``."""
        return [text for where, text in self.texts if any(marker in w for w in where)]

    def rows_in(self, table_id: str) -> list[list[str]]:
        """The body rows of the table with that id, as their cells' texts."""
        rows: dict[int, list[str]] = {}
        for (where, text), row in zip(self.texts, self._rows, strict=True):
            if f"table#{table_id}." in where and any(w.startswith("tbody#") for w in where):
                rows.setdefault(row, []).append(text)
        return list(rows.values())


def _options(root: Path) -> list[str]:
    files = {"--input": "posts.jsonl", "--brands": "brands.csv", "--accounts": "brand_accounts.csv"}
    return [part for option, name in files.items() for part in (option, str(root / "in" / name))]


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    """A run over five brands, three of them renamed: to a script tag and to mathtext (two brands
    of seed 17 that are ranked, so their names are drawn in the charts too), and to an image tag
    (one too thin to rank)."""
    root = tmp_path_factory.mktemp("report")
    generate_world(n_brands=5, n_posts=600, n_days=10, seed=17).write(root / "in")
    brands = pd.read_csv(root / "in" / "brands.csv", dtype=str)
    brands.loc[0, "brand_name"] = SCRIPT_NAME
    brands.loc[2, "brand_name"] = MATH_NAME
    brands.loc[1, "brand_name"] = IMAGE_NAME
    brands.to_csv(root / "in" / "brands.csv", index=False)
    run = run_cli("run", *_options(root), "--warehouse", str(root / "data" / "warehouse.duckdb"))
    assert run.returncode == 0, run.stdout + run.stderr
    return root


@pytest.fixture(scope="module")
def report(world) -> Path:
    out = world / "report"
    result = _report(world, "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _report(world: Path, *args: str):
    return run_cli("report", *args, "--warehouse", str(world / "data" / "warehouse.duckdb"))


def _published(world: Path) -> Path:
    return world / "data" / "published" / "warehouse.duckdb"


def _latest_quarter(world: Path) -> str:
    with duckdb.connect(str(_published(world)), read_only=True) as con:
        return con.execute(
            "select period from marts.rpt_brand_ranking where period_type = 'quarter' "
            "and network = 'all' order by period_start desc limit 1"
        ).fetchone()[0]


def test_every_chart_and_table_is_written(report):
    written = {p.name for p in report.iterdir()}
    expected = {"index.html"} | {f"{c}.{s}" for c in CHARTS for s in ("svg", "png")}
    expected |= {f"{t}.csv" for t in TABLES}
    assert expected <= written, sorted(expected - written)
    assert not list(report.parent.glob(".report.*")), "staging folder left behind"
    for chart in CHARTS:
        assert (report / f"{chart}.png").read_bytes().startswith(b"\x89PNG")
        svg = (report / f"{chart}.svg").read_text()
        assert 'id="marks-' in svg and "<text" in svg, f"{chart}: no marks or no text"
        assert "@font-face" not in svg  # text stays text, no font embedded


def test_the_ranks_are_those_of_carerank_ranking(world, report):
    period = _latest_quarter(world)
    listed = _cli_ranking(world, period, "all")
    ranked = pd.read_csv(report / "ranking.csv", dtype={"brand_id": str})
    assert len(ranked) > 0
    assert dict(zip(ranked["brand_id"], ranked["rank"], strict=True)) == {
        b: r for b, r in zip(listed["brand_id"], listed["rank"], strict=True) if pd.notna(r)
    }
    thin = pd.read_csv(report / "thin_brands.csv", dtype={"brand_id": str})
    assert set(thin["brand_id"]) == set(listed.loc[listed["rank"].isna(), "brand_id"])
    assert f"carerank {period} · all" in Page((report / "index.html").read_text()).texts[0][1]


def _cli_ranking(world: Path, period: str, network: str) -> pd.DataFrame:
    from io import StringIO

    listed = run_cli(
        "ranking",
        *("--period", period, "--network", network, "--format", "csv"),
        *("--warehouse", str(world / "data" / "warehouse.duckdb")),
    )
    assert listed.returncode == 0, listed.stderr
    return pd.read_csv(StringIO(listed.stdout), dtype={"brand_id": str})


def test_the_methodology_names_the_input_by_checksum_and_records(world, report):
    posts = world / "in" / "posts.jsonl"
    digest = hashlib.sha256(posts.read_bytes()).hexdigest()
    records = len(posts.read_text().splitlines())
    inputs = pd.read_csv(report / "input_files.csv").set_index("file_name")
    assert inputs.loc["posts.jsonl", "sha256"] == digest
    assert inputs.loc["posts.jsonl", "records"] == records
    page = Page((report / "index.html").read_text())
    assert [digest, str(records)] in [
        [cells[4], cells[3]] for cells in page.rows_in("inputs-table") if cells[1] == "posts.jsonl"
    ]
    settings = pd.read_csv(report / "methodology.csv", dtype=str)
    assert {"horizon_days", "ranking_base", "min_posts", "confidence_z"} <= set(settings["name"])
    method = " ".join(page.texts_in("section#methodology"))
    horizon = settings.set_index("name").loc["horizon_days", "value"]
    assert f"within {horizon} days" in method and "Ranking base: questions" in method


def test_hostile_names_are_text_in_the_table_and_in_the_charts(report):
    markup = (report / "index.html").read_text()
    page = Page(markup)
    assert "script" not in page.tags and "img" not in page.tags, "user data became markup"
    assert page.tags.count("svg") == len(CHARTS)
    for name in (SCRIPT_NAME, MATH_NAME):
        assert name in page.texts_in("#ranking-table")
        # the scatter plot labels the ranked brands, the rank chart's legend names them
        for chart in ("rate_vs_time", "rank_history"):
            assert name in page.texts_in(f"svg#chart-{chart}."), f"{name!r} not text in {chart}"
    assert IMAGE_NAME in page.texts_in("#thin-table")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup


def test_one_line_errors(world, tmp_path):
    cases = {
        ("--period", "2031Q1"): "--period 2031Q1: not in the ranking; available: ",
        ("--out", str(tmp_path / "a_file")): "is a file",
        ("--network", "myspace"): "--network 'myspace'",
    }
    (tmp_path / "a_file").write_text("keep me")
    for args, message in cases.items():
        result = _report(world, "--out", str(tmp_path / "out"), *args)
        assert result.returncode == 2 and message in result.stderr, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert _latest_quarter(world) in _report(world, "--period", "2031Q1").stderr
    assert (tmp_path / "a_file").read_text() == "keep me" and not (tmp_path / "out").exists()
    result = run_cli(
        "report", "--out", str(tmp_path / "out"), "--warehouse", str(tmp_path / "w.duckdb")
    )
    assert result.returncode == 2 and "no published copy" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_failed_report_leaves_the_previous_one_intact(world, report, tmp_path, monkeypatch):
    out = tmp_path / "report"
    shutil.copytree(report, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert _report(world, "--out", str(out), "--period", "2031Q1").returncode == 2

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(charts, "rank_history", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        write_report(_published(world), out, None, "all", 10)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["report"], "staging folder left behind"
    with pytest.raises(ReportError, match="is a file"):
        write_report(_published(world), out / "index.html", None, "all", 10)


def test_a_copy_without_audit_tables_says_not_recorded(world, tmp_path):
    """A copy published by an older version (no audit schema, no trend columns) still makes a
    report; the sections it cannot fill say so."""
    old = tmp_path / "published" / "warehouse.duckdb"
    old.parent.mkdir()
    shutil.copyfile(_published(world), old)
    with duckdb.connect(str(old)) as con:
        con.execute("drop schema if exists audit cascade")
        for column in ("previous_rank", "rank_change", "previous_response_rate"):
            con.execute(f"alter table marts.rpt_brand_ranking drop column if exists {column}")
        con.execute(
            "alter table marts.rpt_brand_ranking drop column if exists response_rate_change"
        )
    out = tmp_path / "out"
    result = run_cli("report", "--out", str(out), "--warehouse", str(tmp_path / "warehouse.duckdb"))
    assert result.returncode == 0, result.stderr
    page = Page((out / "index.html").read_text())
    assert any("not recorded" in t for t in page.texts_in("section#data-quality"))
    assert any("not recorded" in t for t in page.texts_in("section#methodology"))
    assert not (out / "input_files.csv").exists() and (out / "methodology.csv").exists()
    assert "new" not in page.texts_in("#ranking-table")


def test_a_period_without_an_eligible_brand_is_too_thin_to_rank(world, tmp_path):
    with duckdb.connect(str(_published(world)), read_only=True) as con:
        thin = con.execute(
            "select period, network, any_value(min_posts_required) from marts.rpt_brand_ranking "
            "group by all having count(rank) = 0 order by all limit 1"
        ).fetchone()
    assert thin, "the world has no period too thin to rank: the test needs one"
    period, network, min_posts = thin
    out = tmp_path / "thin"
    result = _report(world, "--period", period, "--network", network, "--out", str(out))
    assert result.returncode == 0, result.stderr
    page = Page((out / "index.html").read_text())
    assert page.texts_in("#too-thin") == [
        f"The data are too thin to rank: no brand has {min_posts} questions in {period} on "
        f"{network}."
    ]
    assert page.texts_in("#ranking-table") == []
    assert len(page.rows_in("thin-table")) == len(pd.read_csv(out / "thin_brands.csv")) > 0
    assert pd.read_csv(out / "ranking.csv").empty
