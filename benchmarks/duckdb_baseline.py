"""The ranking's per-brand figures as one hand-written DuckDB script over the same files that
``carerank run`` reads: what carerank's cost is measured against.

The rules are the dbt models', written directly: a customer post (by no brand account) concerns
a brand when it mentions one of its handles, replies to one of its posts or was replied to by
it; the brand's first reply at or after the post answers it when it comes within the horizon; a
post without an answer is pending while the horizon has not passed at the end of the last UTC
day the network's data holds. The figures are those of ``marts.rpt_brand_ranking`` per quarter,
network and brand, over the default ranking base (questions, pending ones left out).

    .venv/bin/python -m benchmarks.duckdb_baseline POSTS ACCOUNTS OUT.csv
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb

# The columns every implementation writes, in this order: the key, then the figures.
KEY = ("period_start", "network", "brand_id")
COUNTS = ("customer_posts", "questions", "answered_questions", "base_posts", "pending_posts")
FLOATS = (
    "response_rate",
    "median_response_seconds",
    "p90_response_seconds",
    "mean_response_seconds",
)
FIGURES = KEY + COUNTS + FLOATS

HORIZON_DAYS = 7
QUESTION_PATTERN = "[?？¿]"
# A mention: @handle as a whole token; on Bluesky and Mastodon handles hold dots (and @ on
# Mastodon), elsewhere they end at the first character that is not a letter, digit or _.
DOTTED_MENTION = r"(?:^|[^a-z0-9_@.])@([a-z0-9_]+(?:[.@-][a-z0-9_]+)*)"
PLAIN_MENTION = r"(?:^|[^a-z0-9_@])@([a-z0-9_]+)"
DOTTED_NETWORKS = ("bluesky", "mastodon")

SCRIPT = f"""
with posts as (
    select distinct on (network, post_id) network, post_id, author_id,
        lower(author_handle) as handle,
        cast(created_at as timestamptz) at time zone 'UTC' as created_at, text,
        in_reply_to_post_id, in_reply_to_author_id
    from read_json($posts, format = 'newline_delimited', columns = {{
        network: 'varchar', post_id: 'varchar', author_id: 'varchar', author_handle: 'varchar',
        created_at: 'varchar', text: 'varchar', in_reply_to_post_id: 'varchar',
        in_reply_to_author_id: 'varchar'}})
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
observed as (
    select network, cast(max(cast(created_at as date)) + 1 as timestamp) as observed_until
    from posts group by network
),
replies as (select * from authored where brand_id is not null and in_reply_to_post_id is not null),
customer as (select * from authored where brand_id is null),
attributed as (
    select c.network, c.post_id, a.brand_id from customer c,
        unnest(regexp_extract_all(lower(c.text),
            case when c.network in {DOTTED_NETWORKS}
                then '{DOTTED_MENTION}' else '{PLAIN_MENTION}' end, 1)) as m(h)
        join accounts a on a.network = c.network and a.handle = m.h
    union
    select c.network, c.post_id, coalesce(p.brand_id, a.brand_id) from customer c
        left join authored p on p.network = c.network and p.post_id = c.in_reply_to_post_id
        left join accounts a on a.network = c.network and a.account_id = c.in_reply_to_author_id
        where c.in_reply_to_post_id is not null and coalesce(p.brand_id, a.brand_id) is not null
    union
    select r.network, r.in_reply_to_post_id, r.brand_id from replies r
        join customer c on c.network = r.network and c.post_id = r.in_reply_to_post_id
),
matched as (
    select t.network, t.post_id, t.brand_id, c.created_at,
        regexp_matches(c.text, '{QUESTION_PATTERN}') as is_question,
        min(r.created_at) filter (where r.created_at >= c.created_at) as first_reply
    from attributed t
    join customer c on c.network = t.network and c.post_id = t.post_id
    left join replies r on r.network = t.network and r.in_reply_to_post_id = t.post_id
        and r.brand_id = t.brand_id
    group by all
),
facts as (
    select m.*, case
            when m.first_reply <= m.created_at + interval {HORIZON_DAYS} day then 'answered'
            when m.created_at + interval {HORIZON_DAYS} day > o.observed_until then 'pending'
            else 'unanswered' end as status,
        case when m.first_reply <= m.created_at + interval {HORIZON_DAYS} day
            then epoch(m.first_reply) - epoch(m.created_at) end as response_seconds
    from matched m join observed o on o.network = m.network
),
figures as (
    select cast(date_trunc('quarter', created_at) as date) as period_start, network, brand_id,
        count(*) as customer_posts,
        count(*) filter (where is_question) as questions,
        count(*) filter (where is_question and status = 'answered') as answered_questions,
        count(*) filter (where is_question and status != 'pending') as base_posts,
        count(*) filter (where is_question and status = 'pending') as pending_posts,
        median(response_seconds) filter (where is_question) as median_response_seconds,
        quantile_cont(response_seconds, 0.9) filter (where is_question) as p90_response_seconds,
        avg(response_seconds) filter (where is_question) as mean_response_seconds
    from facts group by all
)
select {", ".join(KEY + COUNTS)},
    answered_questions / nullif(base_posts, 0) as response_rate,
    median_response_seconds, p90_response_seconds, mean_response_seconds
from figures order by all
"""


def duckdb_figures(posts: Path, accounts: Path, out: Path, memory_limit: str | None = None) -> None:
    """Write the figures of ``posts`` and ``accounts`` to the CSV file ``out``, within
    ``memory_limit`` when given (spilling beside ``out``), as carerank is run for the same
    size."""
    config = (
        {"memory_limit": memory_limit, "temp_directory": f"{out}.spill"} if memory_limit else {}
    )
    with duckdb.connect(config=config) as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(
            f"copy ({SCRIPT}) to '{out}' (header)",
            {"posts": str(posts), "accounts": str(accounts)},
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("posts", type=Path)
    parser.add_argument("accounts", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--memory-limit", help="DuckDB's memory_limit (default: DuckDB's own)")
    args = parser.parse_args()
    began = time.perf_counter()
    duckdb_figures(args.posts, args.accounts, args.out, args.memory_limit)
    print(f"{time.perf_counter() - began:.3f}")


if __name__ == "__main__":
    main()
