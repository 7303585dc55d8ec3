"""Precision and recall of implicit reply matching (`carerank run --implicit-replies`).

Run from the repository root: `python -m evaluation.implicit_replies [--json PATH]`.

On data whose reply links are known, the links of brand replies are removed (all of them, or a
seeded random share), the pipeline runs on the modified file into a temporary warehouse, and the
implicit matches (customer post -> brand post, match_type implicit in fct_customer_posts) are
compared with the removed links:

* precision: the share of implicit matches whose brand post really replied to that customer post;
* recall: the share of the recoverable posts that were matched to one of their true replies. A
  customer post is recoverable when a reply of the same brand lost its link and came within the
  horizon, and the post is not answered directly by a reply that kept its link (direct wins);
* exact: the share of implicit matches that are the true first removed reply.

The data: the Kaggle file twcs_head5000.csv (../shared/data) when present, and a world generated
by carerank.synthetic. Exit status: 0 when measured, 2 when a run fails.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from carerank.synthetic import generate_world

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
TWCS_FILE = "twcs_head5000.csv"
HORIZON_DAYS = 7  # dbt_project.yml's horizon_days, which these runs keep


class RunError(Exception):
    """`carerank run` failed on a modified file."""


@dataclass
class Figures:
    """What one dataset and share measured."""

    dataset: str
    share: float
    removed_links: int
    implicit_matches: int
    correct: int
    exact: int
    recoverable: int
    recovered: int

    @property
    def precision(self) -> float | None:
        return self.correct / self.implicit_matches if self.implicit_matches else None

    @property
    def recall(self) -> float | None:
        return self.recovered / self.recoverable if self.recoverable else None

    def as_dict(self) -> dict:
        return {**asdict(self), "precision": self.precision, "recall": self.recall}


def chosen(post_id: str, share: float, seed: int) -> bool:
    """Whether this reply loses its link: decided per post id, so that a record landed twice
    loses it in both copies, and the same seed always removes the same links."""
    return random.Random(f"{seed}:{post_id}").random() < share


def strip_twcs(source: Path, target: Path, share: float, seed: int) -> dict[str, str]:
    """Copy a TWCS file without the in_response_to_tweet_id of the chosen brand tweets
    (inbound False); return the removed links, reply tweet id -> parent tweet id."""
    removed: dict[str, str] = {}
    with (
        source.open(newline="", encoding="utf-8") as src,
        target.open("w", newline="", encoding="utf-8") as dst,
    ):
        reader = csv.DictReader(src)
        writer = csv.DictWriter(dst, fieldnames=reader.fieldnames or [], lineterminator="\n")
        writer.writeheader()
        for row in reader:
            parent = (row.get("in_response_to_tweet_id") or "").strip()
            is_brand = (row.get("inbound") or "").strip().lower() == "false"
            if is_brand and parent and chosen(row["tweet_id"], share, seed):
                removed[row["tweet_id"].strip()] = parent
                row["in_response_to_tweet_id"] = ""
            writer.writerow(row)
    return removed


def brand_authors(accounts_file: Path) -> set[tuple[str, str]]:
    """(network, account id or lower-case handle) of every registered brand account."""
    with accounts_file.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {(r["network"], r["account_id"]) for r in rows} | {
        (r["network"], r["handle"].lower()) for r in rows
    }


def strip_jsonl(
    source: Path, target: Path, accounts_file: Path, share: float, seed: int
) -> dict[str, str]:
    """Copy canonical JSONL without the reply link (in_reply_to_post_id and _author_id) of the
    chosen posts by brand accounts; return the removed links, reply post id -> parent post id."""
    brands = brand_authors(accounts_file)
    removed: dict[str, str] = {}
    with source.open(encoding="utf-8") as src, target.open("w", encoding="utf-8") as dst:
        for line in src:
            record = json.loads(line)
            network, parent = record["network"], record.get("in_reply_to_post_id")
            by_brand = (network, record["author_id"]) in brands or (
                network,
                (record.get("author_handle") or "").lower(),
            ) in brands
            if by_brand and parent and chosen(record["post_id"], share, seed):
                removed[record["post_id"]] = parent
                record["in_reply_to_post_id"] = None
                record["in_reply_to_author_id"] = None
            dst.write(json.dumps(record, ensure_ascii=False) + "\n")
    return removed


def run_pipeline(args: list[str], warehouse: Path) -> None:
    """`carerank run --implicit-replies` on the modified input, into its own warehouse."""
    command = [sys.executable, "-m", "carerank", "run", "--implicit-replies", *args]
    done = subprocess.run(
        [*command, "--warehouse", str(warehouse)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if done.returncode != 0:
        raise RunError((done.stdout + done.stderr).strip()[-2000:])


def score(dataset: str, share: float, warehouse: Path, removed: dict[str, str]) -> Figures:
    """Compare the warehouse's implicit matches with the removed links."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute("create temp table removed (reply_post_id varchar, parent_post_id varchar)")
        con.executemany("insert into removed values (?, ?)", list(removed.items()))
        matches = con.execute(
            """
            select facts.network, facts.post_id, facts.brand_id, facts.first_reply_post_id,
                removed.parent_post_id is not distinct from facts.post_id as correct
            from marts.fct_customer_posts as facts
            left join removed on facts.first_reply_post_id = removed.reply_post_id
            where facts.match_type = 'implicit'
            """
        ).fetchall()
        # the customer posts whose brand lost the link of a reply within the horizon, and that
        # no reply with its link still answers; with each one's true first removed reply
        truth = con.execute(
            f"""
            select facts.network, facts.post_id, facts.brand_id,
                arg_min(reply.post_id, (reply.created_at, reply.post_id)) as first_removed,
                list(reply.post_id) as removed_replies
            from marts.fct_customer_posts as facts
            inner join removed on facts.post_id = removed.parent_post_id
            inner join intermediate.int_posts_authored as reply
                on facts.network = reply.network and removed.reply_post_id = reply.post_id
            where
                reply.author_brand_id = facts.brand_id
                and reply.created_at >= facts.created_at
                and reply.created_at <= facts.created_at + interval {HORIZON_DAYS} day
                and not exists (
                    select 1 from intermediate.int_reply_matches as matches
                    where matches.network = facts.network and matches.post_id = facts.post_id
                        and matches.brand_id = facts.brand_id and matches.match_type = 'direct'
                )
            group by facts.network, facts.post_id, facts.brand_id
            """
        ).fetchall()
    expected = {(n, p, b): (first, set(replies)) for n, p, b, first, replies in truth}
    found = {(n, p, b): reply for n, p, b, reply, _ in matches}
    return Figures(
        dataset=dataset,
        share=share,
        removed_links=len(removed),
        implicit_matches=len(matches),
        correct=sum(1 for *_, ok in matches if ok),
        exact=sum(1 for key, reply in found.items() if expected.get(key, ("",))[0] == reply),
        recoverable=len(expected),
        recovered=sum(1 for key, (_, replies) in expected.items() if found.get(key) in replies),
    )


def measure_twcs(source: Path, share: float, seed: int, work: Path) -> Figures:
    """One measurement on a TWCS file."""
    modified = work / f"twcs_{share}.csv"
    removed = strip_twcs(source, modified, share, seed)
    warehouse = work / f"twcs_{share}" / "warehouse.duckdb"
    run_pipeline(["--input", str(modified), "--format", "twcs"], warehouse)
    return score(source.name, share, warehouse, removed)


def measure_world(world_dir: Path, share: float, seed: int, work: Path) -> Figures:
    """One measurement on a generated world (written to world_dir)."""
    modified = work / f"world_{share}.jsonl"
    accounts = world_dir / "brand_accounts.csv"
    removed = strip_jsonl(world_dir / "posts.jsonl", modified, accounts, share, seed)
    warehouse = work / f"world_{share}" / "warehouse.duckdb"
    run_pipeline(
        [
            "--input",
            str(modified),
            "--brands",
            str(world_dir / "brands.csv"),
            "--accounts",
            str(accounts),
        ],
        warehouse,
    )
    return score("generated world", share, warehouse, removed)


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def print_table(results: list[Figures]) -> None:
    header = (
        f"{'dataset':<20} {'share':>5} {'removed':>8} {'matches':>8} {'correct':>8} "
        f"{'precision':>9} {'recoverable':>11} {'recovered':>9} {'recall':>6} {'exact':>6}"
    )
    print(header)
    print("-" * len(header))
    for f in results:
        print(
            f"{f.dataset:<20} {f.share:>5.2f} {f.removed_links:>8} {f.implicit_matches:>8} "
            f"{f.correct:>8} {fmt(f.precision):>9} {f.recoverable:>11} {f.recovered:>9} "
            f"{fmt(f.recall):>6} {f.exact:>6}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the Kaggle file")
    parser.add_argument(
        "--share",
        type=float,
        action="append",
        help="share of brand replies that lose their link (repeat; default: 1.0 and 0.11)",
    )
    parser.add_argument("--seed", type=int, default=7, help="seed of the links removed")
    parser.add_argument("--posts", type=int, default=4000, help="customer posts of the world")
    args = parser.parse_args(argv)
    shares = args.share or [1.0, 0.11]
    twcs = args.data / TWCS_FILE
    results: list[Figures] = []
    with tempfile.TemporaryDirectory(prefix="carerank-implicit-") as tmp:
        work = Path(tmp)
        world = generate_world(n_brands=16, n_posts=args.posts, n_days=45, seed=args.seed)
        world.write(work / "world")
        try:
            for share in shares:
                if twcs.is_file():
                    results.append(measure_twcs(twcs, share, args.seed, work))
                results.append(measure_world(work / "world", share, args.seed, work))
        except RunError as error:
            print(f"carerank run failed: {error}")
            return 2
    if not twcs.is_file():
        print(f"{twcs} is absent: measured on the generated world only.")
    print_table(results)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        figures = {"seed": args.seed, "results": [f.as_dict() for f in results]}
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
        print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
