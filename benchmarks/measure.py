"""Time a command and the peak memory of its whole process tree, as a user would see it.

Besides wall time, the CPU time (user and system) of the process and every descendant it waited
for: on a shared machine, wall time grows with the others' load, CPU time much less.

The peak is the largest sum, over the samples taken every ``interval`` seconds, of the resident
memory of the process and all its descendants (dbt runs as a child of ``carerank run``): read
from /proc, so nothing needs installing. A peak shorter than the interval can be missed."""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measured:
    """One command's wall time, CPU time, peak tree RSS, exit status and output."""

    seconds: float
    cpu_seconds: float
    peak_rss: int
    returncode: int
    stdout: str
    stderr: str

    @property
    def peak_mib(self) -> float:
        return self.peak_rss / 2**20


def _children() -> dict[int, list[int]]:
    """Every process's children, from /proc/<pid>/stat (its parent is the fourth field)."""
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants now."""
    tree, total, todo = _children(), 0, [pid]
    while todo:
        current = todo.pop()
        try:
            total += int(Path(f"/proc/{current}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
        todo.extend(tree.get(current, []))
    return total


def run_measured(
    command: Sequence[str],
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    interval: float = 0.1,
) -> Measured:
    """Run ``command`` to its end, sampling its tree's memory every ``interval`` seconds."""
    began, cpu_before = time.perf_counter(), _children_cpu()
    process = subprocess.Popen(
        list(command),
        env=dict(env) if env is not None else None,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - began
    cpu = _children_cpu() - cpu_before
    done.set()
    sampler.join()
    return Measured(seconds, cpu, peak, process.returncode, stdout, stderr)


def _children_cpu() -> float:
    """CPU seconds of this process's ended (and waited for) descendants so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
