"""The benchmark's memory is that of the whole process tree: a child's memory counts."""

import sys

from benchmarks.measure import run_measured

HOLD = "import time; block = bytearray({mib} * 2**20); block[::4096] = b'x' * len(block[::4096]); "


def test_peak_counts_the_children():
    child = HOLD.format(mib=150) + "time.sleep(1)"
    parent = (
        HOLD.format(mib=100)
        + "import subprocess, sys; subprocess.run([sys.executable, '-c', "
        + repr(child)
        + "], check=True)"
    )
    measured = run_measured([sys.executable, "-c", parent], interval=0.05)
    assert measured.returncode == 0
    assert measured.peak_mib > 250  # both blocks, held at once
    assert measured.cpu_seconds > 0
