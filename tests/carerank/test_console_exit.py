"""The `carerank` command ends without tearing down its objects, yet exits as sys.exit would: the
same status, every line of its output written, exit handlers run; under a profiler it exits the
normal way, so the profile is written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def carerank(*args: str, python_flags: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *python_flags, "-m", "carerank", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_status_and_output_are_those_of_a_normal_exit() -> None:
    helped = carerank("--help")
    assert helped.returncode == 0
    assert "Usage" in helped.stdout and "run" in helped.stdout

    wrong = carerank("run", "--input", "/no/such/file.jsonl")
    assert wrong.returncode == 2
    assert "no such file" in wrong.stderr

    unknown = carerank("--no-such-option")
    assert unknown.returncode == 2
    assert "No such option" in unknown.stderr


def test_exit_handlers_run() -> None:
    """A handler registered during the command (here by a script wrapping it) still runs."""
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('handler ran', flush=True))\n"
        "sys.argv = ['carerank', '--help']\n"
        "from carerank.cli import console_script\n"
        "console_script()\n"
        "print('not reached')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0
    assert done.stdout.rstrip().endswith("handler ran")
    assert "not reached" not in done.stdout


def test_a_profiled_command_writes_its_profile(tmp_path: Path) -> None:
    profile = tmp_path / "help.prof"
    done = carerank("--help", python_flags=("-m", "cProfile", "-o", str(profile)))
    assert done.returncode == 0
    assert profile.exists() and profile.stat().st_size > 0
