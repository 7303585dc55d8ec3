"""`pip install` of the built wheel gives a working `carerank`: the dbt project, its seeds and the
great-expectations suites ship inside the package, and a run in a folder far from the clone
lands, builds, checks and publishes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.e2e


def uv() -> str:
    found = shutil.which("uv") or str(REPO / ".tools" / "bin" / "uv")
    if not Path(found).exists():
        pytest.skip("uv is not installed (make install bootstraps it into .tools/)")
    return found


def fresh_env() -> dict[str, str]:
    """This machine's environment (certificates, proxies, package indexes) without anything that
    points at the clone or its virtual environment."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CARERANK_", "DAGSTER_", "PYTHON", "VIRTUAL_ENV"))
    }
    return env | {"PATH": "/usr/bin:/bin"}


def sh(*command: str | Path, cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    env = fresh_env()
    result = subprocess.run(
        [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return result


def test_wheel_in_a_fresh_environment_runs_the_pipeline(tmp_path):
    uv_bin = uv()
    sh(uv_bin, "build", "--wheel", "--out-dir", tmp_path / "dist", REPO, cwd=REPO)
    (wheel,) = (tmp_path / "dist").glob("carerank-*.whl")
    requirements = tmp_path / "requirements.txt"
    sh(uv_bin, "export", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes", "-o",
       requirements, cwd=REPO)  # fmt: skip
    venv = tmp_path / "venv"
    sh(uv_bin, "venv", "--python", sys.executable, venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    sh(uv_bin, "pip", "install", "--python", python, "-r", requirements, wheel, cwd=tmp_path)

    work = tmp_path / "work"  # a user's folder: no clone, no dbt project beside it
    work.mkdir()
    carerank = venv / "bin" / "carerank"
    assert sh(carerank, "--version", cwd=work).stdout.startswith("carerank ")
    sh(carerank, "generate", "--brands", "4", "--posts", "300", "--days", "3", "--out", "in",
       cwd=work)  # fmt: skip
    sh(carerank, "run", "--input", "in/posts.jsonl", "--brands", "in/brands.csv",
       "--accounts", "in/brand_accounts.csv", cwd=work)  # fmt: skip
    ranking = sh(carerank, "ranking", "--format", "csv", cwd=work).stdout
    assert ranking.splitlines()[0].startswith("rank,") and len(ranking.splitlines()) == 5
    assert (work / "data" / "published" / "warehouse.duckdb").exists()
    assert (work / "data" / "dagster" / "dagster.yaml").exists()
    # the run used the packaged dbt project, not the clone's
    location = sh(python, "-c", "import orchestration.settings as s; print(s.DBT_PROJECT_DIR)",
                  cwd=work).stdout.strip()  # fmt: skip
    assert location.startswith(str(venv)) and location.endswith("packaged_dbt_project")
