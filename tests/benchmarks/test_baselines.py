"""The benchmark's baselines compute the ranking's figures: the DuckDB script and the pandas
implementation agree with each other and with the generator's truth, and the agreement check
notices a figure that differs."""

from pathlib import Path

import pandas as pd
import pytest

from benchmarks.agreement import disagreements, normalised, read_figures
from benchmarks.duckdb_baseline import duckdb_figures
from benchmarks.pandas_baseline import pandas_figures
from carerank.synthetic import generate_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("world")
    generate_world(n_brands=6, n_posts=3000, n_days=20, seed=3).write(folder)
    return folder


@pytest.fixture(scope="module")
def duckdb_result(world: Path) -> pd.DataFrame:
    out = world / "duckdb.csv"
    duckdb_figures(world / "posts.jsonl", world / "brand_accounts.csv", out)
    return read_figures(out)


def truth_figures(world: Path) -> pd.DataFrame:
    """The figures from the generator's own record of what happened (one quarter: 20 days)."""
    truth = pd.read_csv(world / "truth.csv", dtype={"post_id": str})
    truth["is_question"] = truth["is_question"].astype(bool)
    questions = truth[truth["is_question"]]
    grouped, asked = (
        truth.groupby(["network", "brand_id"]),
        questions.groupby(["network", "brand_id"]),
    )
    figures = pd.DataFrame(
        {
            "customer_posts": grouped.size(),
            "questions": asked.size(),
            "answered_questions": asked["status"].apply(lambda s: (s == "answered").sum()),
            "base_posts": asked["status"].apply(lambda s: (s != "pending").sum()),
            "pending_posts": asked["status"].apply(lambda s: (s == "pending").sum()),
            "median_response_seconds": asked["response_seconds"].median(),
            "p90_response_seconds": asked["response_seconds"].quantile(0.9),
            "mean_response_seconds": asked["response_seconds"].mean(),
        }
    ).reset_index()
    figures["response_rate"] = figures["answered_questions"] / figures["base_posts"]
    figures["period_start"] = "2026-07-01"
    return normalised(figures)


def test_pandas_equals_duckdb(world: Path, duckdb_result: pd.DataFrame):
    ours = normalised(pandas_figures(world / "posts.jsonl", world / "brand_accounts.csv"))
    assert len(ours) == 12  # 6 brands x 2 networks
    assert disagreements(duckdb_result, ours) == []


def test_duckdb_equals_truth(world: Path, duckdb_result: pd.DataFrame):
    assert disagreements(duckdb_result, truth_figures(world)) == []


def test_disagreements_are_found(duckdb_result: pd.DataFrame):
    changed = duckdb_result.copy()
    changed.loc[0, "answered_questions"] += 1
    changed.loc[1, "median_response_seconds"] += 1.0
    problems = disagreements(duckdb_result, changed.iloc[:-1])
    assert [p.split(":")[0] for p in problems] == [
        "1 keys only left",
        "answered_questions",
        "median_response_seconds",
    ]


def test_duckdb_within_a_memory_limit_gives_the_same_figures(
    world: Path, duckdb_result: pd.DataFrame
):
    """The 10 M benchmark runs the script within the memory limit carerank gets; a limit must
    change its cost only, never its figures."""
    out = world / "duckdb_limited.csv"
    duckdb_figures(world / "posts.jsonl", world / "brand_accounts.csv", out, memory_limit="256MB")
    assert disagreements(duckdb_result, read_figures(out)) == []
