"""The Dagster UI as a newcomer opens it: `carerank dev` (what `make dev` runs) in a clean
environment (no activated virtual environment, no DAGSTER_HOME) loads the code location, and the
run that `carerank run` made before shows in it, from the data folder's own instance."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from carerank.synthetic import generate_world
from tests.conftest import REPO

pytestmark = pytest.mark.e2e

CARERANK = Path(sys.executable).with_name("carerank")
LOCATIONS = """{ workspaceOrError { __typename ... on Workspace { locationEntries { name loadStatus
  locationOrLoadError { __typename ... on PythonError { message }
    ... on RepositoryLocation { repositories { assetNodes { assetKey { path } } } } } } } } }"""
RUNS = "{ runsOrError { ... on Runs { results { runId status jobName } } } }"


def clean_env(home: Path) -> dict[str, str]:
    """What a new shell has: no virtual environment on PATH, no carerank or Dagster variables."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def graphql(port: int, query: str) -> dict:
    response = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": query}, timeout=10)
    response.raise_for_status()
    return response.json()["data"]


def wait_for_location(port: int, server: subprocess.Popen, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, "carerank dev exited"
        try:
            entries = graphql(port, LOCATIONS)["workspaceOrError"]["locationEntries"]
        except (httpx.HTTPError, KeyError, TypeError):
            entries = []
        if entries and all(e["loadStatus"] == "LOADED" for e in entries):
            return entries[0]
        time.sleep(2)
    raise AssertionError(f"the code location did not load within {timeout} s")


def test_carerank_dev_loads_the_code_and_shows_the_cli_run(tmp_path):
    world = tmp_path / "world"
    generate_world(n_brands=4, n_posts=300, n_days=3, seed=3).write(world)
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    env = clean_env(tmp_path)
    files = {"--input": "posts.jsonl", "--brands": "brands.csv", "--accounts": "brand_accounts.csv"}
    options = [part for option, name in files.items() for part in (option, str(world / name))]
    run = subprocess.run(
        [str(CARERANK), "run", *options, "--warehouse", str(warehouse)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert (tmp_path / "data" / "dagster" / "dagster.yaml").exists()

    port = free_port()
    log = (tmp_path / "dev.log").open("w")
    server = subprocess.Popen(
        [str(CARERANK), "dev", "--port", str(port), "--warehouse", str(warehouse)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        location = wait_for_location(port, server)
        loaded = location["locationOrLoadError"]
        assert loaded["__typename"] == "RepositoryLocation", loaded
        assets = {
            "/".join(node["assetKey"]["path"])
            for repository in loaded["repositories"]
            for node in repository["assetNodes"]
        }
        assert {"raw/posts", "marts/fct_customer_posts", "published/warehouse"} <= assets
        runs = graphql(port, RUNS)["runsOrError"]["results"]
        assert [(r["jobName"], r["status"]) for r in runs] == [("carerank_import", "SUCCESS")]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
    # the instance lives in the data folder, never in the repository
    assert not list(REPO.glob(".dagster*")) and not (REPO / "dagster.yaml").exists()
