"""Shared fixtures: the real Kaggle samples in ../shared/data (skipped when absent, as on a
user's clone), a helper that runs the ``carerank`` command line in a subprocess, a private target
folder for the tests that run dbt in process, and the order the tests are handed to pytest-xdist's
workers in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"


def pytest_configure(config: pytest.Config) -> None:
    """Bring dbt's manifest up to date once, before pytest-xdist starts its workers: every worker
    imports the definitions, which parse the project when the manifest is older than it, and two
    workers parsing at once would each read a manifest the other is half-way through writing."""
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        from orchestration.dbt_project import ensure_dbt_manifest

        ensure_dbt_manifest()


@pytest.hookimpl(trylast=True)  # after pytest-xdist's own hook, which names the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In a pytest-xdist worker: the end-to-end tests first, and each test's xdist_group in its
    node id.

    The end-to-end tests take up to minutes each: a worker that starts one last finishes alone
    while the other waits, so they go first and the fast tests fill the gaps at the end (a plain
    `pytest` keeps the file order, fast tests first).

    `--dist loadgroup` sends the tests whose node ids end in the same "@group" to one worker.
    pytest-xdist 3.8 appends that suffix by assigning the item's `_nodeid`, which pytest 9.2 no
    longer reads (node ids are structured there): the groups would be silently ignored and a
    module's expensive fixture built on both workers. Where the suffix is missing, it is set
    here on the structured id; a pytest that takes neither stops the run instead of ignoring the
    groups."""
    if not hasattr(config, "workerinput"):
        return
    items.sort(key=lambda item: item.get_closest_marker("e2e") is None)
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        groups = {
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        }
        suffix = "@" + "_".join(sorted(groups))
        if not groups or item.nodeid.endswith(suffix):
            continue
        from _pytest.nodeid import NodeId  # pytest >= 9.2, whose Node.nodeid is str(item._id)

        item._id = NodeId.parse(item.nodeid + suffix)
        if not item.nodeid.endswith(suffix):
            raise pytest.UsageError(f"cannot name the xdist_group of {item.nodeid}")


@pytest.fixture(scope="module")
def dbt_target_in_tmp(tmp_path_factory):
    """dbt run in this process (carerank.dbt_build) writes its manifest, run results and partial
    parse file into a folder of its own instead of dbt_project/target, where the `carerank run`
    of other tests (another pytest-xdist worker) and `dagster dev` read the manifest from while it
    would be rewritten. Module scope: before the module's fixtures build anything. Only for
    modules that start no `carerank` process, which would inherit the variable."""
    with pytest.MonkeyPatch.context() as env:
        target = tmp_path_factory.mktemp("dbt_target")
        env.setenv("DBT_TARGET_PATH", str(target))
        env.setenv("DBT_LOG_PATH", str(target))
        yield target


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


def compile_macros(*sqls: str) -> list[str]:
    """Each of ``sqls`` with the dbt project's macros expanded (for DuckDB). compile_inline
    points dbt at an in-memory DuckDB through the environment: restored after, so that no later
    test of this worker inherits it."""
    from orchestration.dbt_project import compile_inline

    saved = dict(os.environ)
    try:
        return [compile_inline(sql) for sql in sqls]
    finally:
        os.environ.clear()
        os.environ.update(saved)


def world_inputs(world: Path) -> list[str]:
    """The options that hand a written world (generate_world(...).write) to `carerank run`: its
    posts and its brands and accounts registry."""
    return [
        "--input",
        str(world / "posts.jsonl"),
        "--brands",
        str(world / "brands.csv"),
        "--accounts",
        str(world / "brand_accounts.csv"),
    ]


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


# Credentials of the S3 server the tests start; the secret is looked for in every message.
S3_TEST_ENV = {
    "AWS_ACCESS_KEY_ID": "carerank-test-key",
    "AWS_SECRET_ACCESS_KEY": "carerank-test-secret-do-not-print",
    "AWS_DEFAULT_REGION": "us-east-1",
    # no credential lookup anywhere but these variables (no instance metadata, no files)
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_CONFIG_FILE": "/nonexistent/aws-config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
}


@pytest.fixture(scope="module")
def s3_endpoint():
    """A real S3-compatible server on loopback (moto's server mode, a thread of this process)
    and its test credentials in the environment, which `carerank` processes inherit."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    with pytest.MonkeyPatch.context() as env:
        for name, value in S3_TEST_ENV.items():
            env.setenv(name, value)
        env.delenv("AWS_PROFILE", raising=False)
        env.delenv("AWS_SESSION_TOKEN", raising=False)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        try:
            yield f"http://{host}:{port}"
        finally:
            server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint, request) -> str:
    """A new empty bucket on the test server, named after the test."""
    import re
    import uuid

    from ingestion.storage import s3_filesystem

    name = re.sub(r"[^a-z0-9-]", "-", request.node.name.lower())[:40].strip("-")
    bucket = f"{name}-{uuid.uuid4().hex[:8]}"
    s3_filesystem(s3_endpoint).mkdir(bucket)
    return bucket
