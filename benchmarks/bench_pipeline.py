"""How much does carerank cost over a hand-written DuckDB script that computes the same
per-brand figures from the same file? Prints both times and their ratio (same process, same
machine), and checks that both agree.

    .venv/bin/python benchmarks/bench_pipeline.py --posts 200000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import duckdb

from carerank.synthetic import generate_world
from orchestration.settings import settings_from_env

# The same rules as the dbt models (a customer post mentions a brand, replies to one of its posts
# or was replied to by it; the first reply within the horizon answers it), written directly as
# one DuckDB script over a JSONL file of canonical records and a registry.
BASELINE = """
with posts as (
    select distinct on (network, post_id) network, post_id, author_id,
        lower(author_handle) as handle, cast(created_at as timestamptz) as created_at, text,
        in_reply_to_post_id
    from read_json($posts, format = 'newline_delimited', columns = {
        network: 'varchar', post_id: 'varchar', author_id: 'varchar', author_handle: 'varchar',
        created_at: 'varchar', text: 'varchar', in_reply_to_post_id: 'varchar'})
),
accounts as (
    select brand_id, network, account_id, lower(handle) as handle
    from read_csv($accounts, all_varchar = true)
),
authored as (
    select p.*, coalesce(a1.brand_id, a2.brand_id) as brand_id
    from posts p
    left join accounts a1 on a1.network = p.network and a1.account_id = p.author_id
    left join accounts a2 on a2.network = p.network and a2.handle = p.handle
),
replies as (select * from authored where brand_id is not null and in_reply_to_post_id is not null),
customer as (select * from authored where brand_id is null),
attributed as (
    select c.network, c.post_id, a.brand_id from customer c,
        unnest(regexp_extract_all(lower(c.text),
            case when c.network in ('bluesky', 'mastodon')
                then '(?:^|[^a-z0-9_@.])@([a-z0-9_]+(?:[.@-][a-z0-9_]+)*)'
                else '(?:^|[^a-z0-9_@])@([a-z0-9_]+)' end, 1)) as m(h)
        join accounts a on a.network = c.network and a.handle = m.h
    union
    select c.network, c.post_id, p.brand_id from customer c
        join authored p on p.network = c.network and p.post_id = c.in_reply_to_post_id
        where p.brand_id is not null
    union
    select r.network, r.in_reply_to_post_id, r.brand_id from replies r
        join customer c on c.network = r.network and c.post_id = r.in_reply_to_post_id
),
facts as (
    select t.network, t.post_id, t.brand_id, c.created_at,
        min(r.created_at) filter (where r.created_at >= c.created_at) as first_reply
    from attributed t
    join customer c on c.network = t.network and c.post_id = t.post_id
    left join replies r on r.network = t.network and r.in_reply_to_post_id = t.post_id
        and r.brand_id = t.brand_id
    group by all
)
select brand_id, count(*) as customer_posts,
    count(*) filter (where first_reply <= created_at + interval 7 day) as answered,
    median(epoch(first_reply) - epoch(created_at))
        filter (where first_reply <= created_at + interval 7 day) as median_seconds
from facts group by brand_id order by brand_id
"""

CARERANK_FIGURES = """
select brand_id, count(*) as customer_posts,
    count(*) filter (where status = 'answered') as answered,
    median(response_seconds) as median_seconds
from marts.fct_customer_posts group by brand_id order by brand_id
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--brands", type=int, default=40)
    parser.add_argument("--days", type=int, default=60)
    args = parser.parse_args()

    from carerank.pipeline import run_pipeline
    from orchestration.dbt_project import ensure_dbt_manifest

    ensure_dbt_manifest()
    with tempfile.TemporaryDirectory(prefix="carerank-bench-") as tmp:
        root = Path(tmp)
        began = time.perf_counter()
        world = generate_world(n_brands=args.brands, n_posts=args.posts, n_days=args.days, seed=1)
        world.write(root / "in")
        print(f"generated {len(world.posts):,} records in {time.perf_counter() - began:.1f} s")

        began = time.perf_counter()
        baseline = duckdb.execute(
            BASELINE,
            {
                "posts": str(root / "in" / "posts.jsonl"),
                "accounts": str(root / "in" / "brand_accounts.csv"),
            },
        ).fetchall()
        baseline_s = time.perf_counter() - began

        settings = settings_from_env(root / "wh" / "warehouse.duckdb")
        settings = type(settings)(
            **{
                **settings.__dict__,
                "brands_file": root / "in" / "brands.csv",
                "accounts_file": root / "in" / "brand_accounts.csv",
            }
        )
        began = time.perf_counter()
        outcome = run_pipeline(settings, [root / "in" / "posts.jsonl"], "jsonl")
        carerank_s = time.perf_counter() - began
        assert outcome.success, outcome.failed_steps
        with duckdb.connect(str(settings.warehouse), read_only=True) as con:
            ours = con.execute(CARERANK_FIGURES).fetchall()
        agree = [(b, c) for b, c in zip(baseline, ours, strict=False) if b[:3] != c[:3]]
        print(f"hand-written DuckDB script: {baseline_s:8.2f} s")
        days = (outcome.last_day - outcome.first_day).days + 1
        print(f"carerank run ({days} daily partitions, one run): {carerank_s:8.2f} s")
        print(f"ratio carerank / script:    {carerank_s / baseline_s:8.1f}x")
        print(f"per-brand counts agree: {not agree and len(baseline) == len(ours)}")


if __name__ == "__main__":
    main()
