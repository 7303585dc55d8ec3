"""`carerank classify`: the warehouse's classification rules applied to one file, one row per
post, so that a researcher can audit them on their own data without building a warehouse.

The rules are the dbt project's macros (dbt_project/macros/classification.sql), compiled by dbt
and run by DuckDB over the file as the landing reads it: the same SQL the models run, not a copy
of it. A post is a brand's when the source says so (TWCS inbound = False) or its author is an
account of ``--accounts`` (by id, or by handle without case); every other post is a customer's.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingestion.errors import IngestionError
from ingestion.readers import reader_query, sql_literal
from orchestration.dbt_project import compile_inline

OUTPUT_COLUMNS = (
    "post_id",
    "network",
    "role",
    "lang",
    "category",
    "needs_reply",
    "moved_to_private",
    "promises_feedback",
    "agent",
)

# Customer columns apply to customer posts, reply columns to brand posts; the others stay empty.
RULES_SQL = """
with flags as (
    select
        posts.*,
        {{ customer_rule_flags('posts.text') }},
        {{ customer_thread_flags(
            'posts.author_id', 'parent.author_id', "parent.role = 'brand'",
            'parent.text', 'parent.in_reply_to_post_id'
        ) }}
    from posts
    left join (
        -- one parent per id, the first in the file, so that a repeated post adds no rows
        select distinct on (network, post_id) network, post_id, author_id, role, text,
            in_reply_to_post_id
        from posts
        order by network, post_id, _record_number
    ) as parent
        on posts.network = parent.network and posts.in_reply_to_post_id = parent.post_id
)
select
    post_id,
    network,
    role,
    {{ post_lang('text', 'lang') }} as lang,
    case when role = 'customer' then {{ post_category() }} end as category,
    case when role = 'customer' then {{ post_needs_reply() }} end as needs_reply,
    case when role = 'brand' then {{ reply_moves_to_private('text') }} end as moved_to_private,
    case when role = 'brand' then {{ reply_promises_feedback('text') }} end as promises_feedback,
    case when role = 'brand' then {{ reply_agent('text') }} end as agent
from flags
order by _record_number
"""


@dataclass(frozen=True)
class Classified:
    posts: int
    customer_posts: int
    brand_posts: int


def classify_file(path: Path, fmt: str, accounts: Path | None, out: Path) -> Classified:
    """Classify every readable post of ``path`` into the CSV ``out`` (replaced whole)."""
    if not path.is_file():
        raise IngestionError(f"--input {path}: no such file")
    if out.is_dir():
        raise IngestionError(f"--out {out}: is a folder; give a CSV file name")
    if accounts is not None and not accounts.is_file():
        raise IngestionError(f"--accounts {accounts}: no such file")
    rules = compile_inline(RULES_SQL)
    with duckdb.connect() as con, tempfile.TemporaryDirectory(prefix="carerank-classify-") as tmp:
        query = reader_query(con, path, fmt, Path(tmp))
        con.execute(f"create temp table read_posts as {query.sql}")
        con.execute(f"create temp view posts as {_with_roles(accounts)}")
        partial = out.with_name(f".{out.name}.partial")
        con.execute(f"copy ({rules}) to {sql_literal(str(partial))} (format csv, header true)")
        counts = con.execute(
            "select count(*), count(*) filter (where role = 'customer') from posts"
        ).fetchone()
    partial.replace(out)
    return Classified(posts=counts[0], customer_posts=counts[1], brand_posts=counts[0] - counts[1])


def _with_roles(accounts: Path | None) -> str:
    """The readable posts with their role, by the source's word or the registry of accounts."""
    registry = "false"
    if accounts is not None:
        listed = f"read_csv({sql_literal(str(accounts))}, all_varchar = true, header = true)"
        registry = (
            f"exists (select 1 from {listed} as accounts where accounts.account_id = "
            "read_posts.author_id or lower(ltrim(accounts.handle, '@')) = "
            "lower(read_posts.author_handle))"
        )
    return (
        "select _record_number, post_id, network, author_id, in_reply_to_post_id, text, lang, "
        f"case when coalesce(author_is_brand, false) or {registry} then 'brand' "
        "else 'customer' end as role "
        "from read_posts where _reject_reason is null"
    )
