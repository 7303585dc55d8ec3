"""Shared fixtures: the real Kaggle samples in ../shared/data (skipped when absent, as on a
user's clone), and a helper that runs the ``carerank`` command line in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def kaggle_sample() -> Path:
    path = SHARED_DATA / "twcs_head5000.csv"
    if not path.exists():
        pytest.skip(f"real Kaggle sample not found at {path} (../shared is not beside this clone)")
    return path


@pytest.fixture
def kaggle_official_sample() -> Path:
    path = SHARED_DATA / "twcs_kaggle_sample93.csv"
    if not path.exists():
        pytest.skip(f"real Kaggle sample not found at {path} (../shared is not beside this clone)")
    return path


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: int = 1800):
    """``carerank ARGS`` as a user runs it: a new process, no DAGSTER_HOME (ephemeral instance)."""
    full_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("CARERANK_", "DAGSTER_HOME"))
    }
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "carerank", *args],
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
