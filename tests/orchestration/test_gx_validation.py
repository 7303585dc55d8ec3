"""great-expectations validates in a worker process when a run started one, with the verdicts it
gives in process; a worker that died leaves the checks to this process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from orchestration import gx_validation
from tests.conftest import REPO

# A process that has not imported great-expectations validates two suites through the worker:
# a failing sample of the facts (duplicate ids, an unknown status) and a passing one.
SCRIPT = """
import json, os, signal, sys
import pandas as pd
from orchestration import gx_validation
from orchestration.resource_types import GreatExpectationsResource

def facts(post_ids, statuses):
    return pd.DataFrame({
        "network": ["twitter"] * 2, "post_id": post_ids, "brand_id": ["acme"] * 2,
        "status": statuses, "first_reply_post_id": ["9", None],
        "response_seconds": [60.0, None],
    })

config = GreatExpectationsResource().load_suite_config("fct_customer_posts")
parameters = {"horizon_seconds": 7 * 86400}
bad = facts(["1", "1"], ["answered", "maybe"])
good = facts(["1", "2"], ["answered", "unanswered"])

def verdicts(frame):
    return [(o.type, o.success) for o in
            gx_validation.gx_outcomes(frame, "fct_customer_posts", config, parameters)]

gx_validation.start_worker()
in_worker = {"bad": verdicts(bad), "good": verdicts(good)}
imported_here = "great_expectations" in sys.modules
started = gx_validation.gx_outcomes_started(bad, "fct_customer_posts", config, parameters)
if sys.argv[1] in ("kill", "kill-while-validating"):
    for process in gx_validation._worker._processes.values():
        os.kill(process.pid, signal.SIGKILL)
if sys.argv[1] == "kill-while-validating":
    after_kill = [(o.type, o.success) for o in started()]
else:
    after_kill = verdicts(bad)
gx_validation.stop_worker()
print(json.dumps({"in_worker": in_worker, "imported_here": imported_here,
                  "after_kill": after_kill, "here": verdicts(bad)}))
"""


def run(mode: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_the_worker_gives_the_verdicts_of_this_process() -> None:
    outcome = run("keep")
    assert outcome["imported_here"] is False  # GX ran in the worker only
    bad = dict(outcome["in_worker"]["bad"])
    assert bad["expect_compound_columns_to_be_unique"] is False
    assert bad["expect_column_values_to_be_in_set"] is False
    assert all(success for _, success in outcome["in_worker"]["good"])
    assert outcome["in_worker"]["bad"] == outcome["here"] == outcome["after_kill"]


def test_a_dead_worker_leaves_the_checks_to_this_process() -> None:
    outcome = run("kill")
    assert outcome["after_kill"] == outcome["here"] == outcome["in_worker"]["bad"]


def test_a_validation_sent_to_a_worker_that_dies_is_done_here() -> None:
    """A check that sent its sample and did its own work meanwhile still gets its verdicts when
    the worker died before answering."""
    outcome = run("kill-while-validating")
    assert outcome["after_kill"] == outcome["here"] == outcome["in_worker"]["bad"]


def test_the_worker_ends_with_a_killed_run() -> None:
    """A run killed outright (SIGKILL, out of memory) leaves no worker behind."""
    script = (
        "import os, signal, sys, time\n"
        "from orchestration import gx_validation\n"
        "gx_validation.start_worker()\n"
        "time.sleep(1)\n"
        "[worker] = gx_validation._worker._processes\n"
        "print(worker, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert killed.returncode == -signal.SIGKILL
    worker = int(killed.stdout.split()[0])
    deadline = time.monotonic() + 30
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(worker)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_command_that_fails_stops_the_worker_it_started() -> None:
    """A command that starts the worker and then fails (before or during its run) stops it: a
    worker left running would keep the process from ending."""
    with pytest.raises(RuntimeError), gx_validation.worker_running():
        assert gx_validation._worker is not None
        raise RuntimeError("the command failed")
    assert gx_validation._worker is None
