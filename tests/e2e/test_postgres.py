"""PostgreSQL as the warehouse: the same input run into DuckDB and into a real PostgreSQL server
(pgserver, started here) gives the same marts, row for row, after a first run and after an
incremental run of later days; the published copy a PostgreSQL run makes serves `carerank
ranking`; an unreachable server is one line, exit 2, without the password, and changes nothing."""

from __future__ import annotations

import hashlib
import json
import socket
from pathlib import Path
from typing import Any

import duckdb
import pytest

from carerank.synthetic import generate_world
from tests.conftest import run_cli
from tests.e2e.marts import (
    add_promise_replies,
    assert_promises_found,
    assert_same_marts,
    mart_rows_duckdb,
)

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("postgres")]


@pytest.fixture(scope="module")
def postgres_url(tmp_path_factory) -> str:
    pgserver = pytest.importorskip("pgserver")
    server = pgserver.get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="stop")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


def split_posts(folder: Path) -> tuple[Path, Path]:
    """posts.jsonl in two files: the posts of the first 30 days, and the later ones (a nightly
    run of later days, whose replies also reach back into the first part)."""
    lines = (folder / "posts.jsonl").read_text().splitlines()
    days = sorted({json.loads(line)["created_at"][:10] for line in lines})
    split = days[min(30, len(days) - 1)]
    early = [line for line in lines if json.loads(line)["created_at"][:10] < split]
    late = [line for line in lines if json.loads(line)["created_at"][:10] >= split]
    assert early and late, "the world does not span the split day"
    paths = folder / "posts_early.jsonl", folder / "posts_late.jsonl"
    for path, part in zip(paths, (early, late), strict=True):
        path.write_text("\n".join(part) + "\n")
    return paths


def mart_rows_postgres(url: str) -> dict[str, tuple[list[str], list[tuple]]]:
    import psycopg2

    out = {}
    with psycopg2.connect(url) as con, con.cursor() as cur:
        cur.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "and table_type = 'BASE TABLE' order by 1"
        )
        for (table,) in cur.fetchall():
            cur.execute(f'select * from marts."{table}"')
            out[table] = ([d.name for d in cur.description], cur.fetchall())
    con.close()
    return out


def run(root: Path, name: str, posts: Path, world: Path, env: dict | None = None, *extra: str):
    registry = (
        "--brands",
        str(world / "brands.csv"),
        "--accounts",
        str(world / "brand_accounts.csv"),
    )
    return run_cli(
        "run",
        "--input",
        str(posts),
        *registry,
        "--warehouse",
        str(root / name / "warehouse.duckdb"),
        *extra,
        env=env,
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory, postgres_url) -> dict[str, Any]:
    """The two halves of a world run into DuckDB and into PostgreSQL; the marts after each."""
    root = tmp_path_factory.mktemp("targets")
    world = root / "in"
    generate_world(n_brands=6, n_posts=1500, n_days=40, seed=23).write(world)
    add_promise_replies(world)
    early, late = split_posts(world)
    pg_env = {"CARERANK_POSTGRES_URL": postgres_url}
    marts: dict[str, Any] = {"root": root, "world": world}
    for step, posts in (("first", early), ("second", late)):
        duck = run(root, "duck", posts, world)
        assert duck.returncode == 0, duck.stdout + duck.stderr
        pg = run(root, "pg", posts, world, pg_env, "--target", "postgres")
        assert pg.returncode == 0, pg.stdout + pg.stderr
        marts[step] = (
            mart_rows_duckdb(root / "duck" / "warehouse.duckdb"),
            mart_rows_postgres(postgres_url),
        )
    return marts


def test_every_mart_is_equal_after_a_first_run(runs):
    duck, pg = runs["first"]
    assert {"fct_customer_posts", "rpt_brand_ranking", "agg_brand_daily"} <= set(duck)
    assert all(rows for _, rows in duck.values())
    assert_promises_found(duck)
    assert_same_marts(duck, pg)


def test_every_mart_is_equal_after_an_incremental_run(runs):
    duck, pg = runs["second"]
    assert duck["fct_customer_posts"][1] != runs["first"][0]["fct_customer_posts"][1]
    assert_same_marts(duck, pg)


def test_the_published_copy_of_a_postgres_run_serves_the_ranking(runs):
    root = runs["root"]
    published = {name: root / name / "published" / "warehouse.duckdb" for name in ("duck", "pg")}
    copies = {}
    for name, path in published.items():
        with duckdb.connect(str(path), read_only=True) as con:
            copies[name] = con.execute(
                "select table_schema, table_name, column_name, data_type "
                "from information_schema.columns where table_schema in ('marts', 'registry') "
                "order by all"
            ).fetchall()
    assert copies["pg"] == copies["duck"]
    rankings = [
        run_cli("ranking", "--warehouse", str(root / n / "warehouse.duckdb")) for n in published
    ]
    for ranking in rankings:
        assert ranking.returncode == 0, ranking.stdout + ranking.stderr
    assert rankings[0].stdout == rankings[1].stdout


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "dagster" not in p.parts):
        sha.update(str(path).encode() + path.read_bytes())
    return sha.hexdigest()


def test_an_unreachable_postgres_is_one_line_without_the_password(runs):
    root, world = runs["root"], runs["world"]
    before = digest(root / "pg")
    url = f"postgresql://carerank:s3cret-pw@127.0.0.1:{closed_port()}/carerank"
    env = {"CARERANK_POSTGRES_URL": url}
    result = run(root, "pg", world / "posts_late.jsonl", world, env, "--target", "postgres")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "s3cret-pw" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "unreachable" in lines[0] and "CARERANK_POSTGRES_URL" in lines[0]
    assert "Traceback" not in result.stderr
    assert digest(root / "pg") == before
