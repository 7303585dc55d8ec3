"""The A/B benchmark: alternating order, the summary of pairs, and a base version checked out
beside this one and removed after."""

import subprocess

import pytest

from benchmarks.bench_ab import order, summarise, worktree
from benchmarks.carerank_runs import REPO


def test_versions_take_turns_going_first():
    assert [order(pair) for pair in range(4)] == [
        ("base", "head"),
        ("head", "base"),
        ("base", "head"),
        ("head", "base"),
    ]


def test_summary_is_the_median_difference_of_pairs():
    pairs = [
        {
            "base": {"seconds": 13.0, "cpu_seconds": 16.0},
            "head": {"seconds": 12.0, "cpu_seconds": 15.5},
        },
        {
            "base": {"seconds": 18.0, "cpu_seconds": 20.0},
            "head": {"seconds": 16.0, "cpu_seconds": 18.0},
        },
        {
            "base": {"seconds": 14.0, "cpu_seconds": 17.0},
            "head": {"seconds": 14.5, "cpu_seconds": 17.0},
        },
    ]
    summary = summarise(pairs)
    # differences -1.0, -2.0, +0.5: the median is robust to the slow pair's drift
    assert summary["median_wall_difference"] == -1.0
    assert summary["median_cpu_difference"] == -0.5
    assert summary["head_faster_pairs"] == 2
    assert summary["base_median_seconds"] == 14.0


@pytest.mark.skipif(not (REPO / ".git").exists(), reason="not a git checkout: no worktree to add")
def test_the_base_is_checked_out_beside_and_removed_after():
    with worktree("HEAD") as base:
        assert (base / "carerank" / "cli.py").is_file()
        listed = subprocess.run(
            ["git", "-C", str(REPO), "worktree", "list"], capture_output=True, text=True, check=True
        ).stdout
        assert str(base) in listed
    assert not base.exists()
    listed = subprocess.run(
        ["git", "-C", str(REPO), "worktree", "list"], capture_output=True, text=True, check=True
    ).stdout
    assert str(base) not in listed
