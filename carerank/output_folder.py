"""Folders that readers open whole (an export, a report) are written beside their target and
swapped in at the end, so that a write failing halfway leaves the previous folder as it was and a
reader never sees half of a new one."""

from __future__ import annotations

import shutil
from pathlib import Path


def staging_folder(out: Path) -> Path:
    """An empty ``.<out>.partial`` folder beside ``out`` to write into (what a crashed earlier
    write left there is thrown away)."""
    staging = out.with_name(f".{out.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def replace_folder(staging: Path, out: Path) -> None:
    """Swap the finished folder in: the previous one stays whole until the new one is."""
    previous = out.with_name(f".{out.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    if out.exists():
        out.rename(previous)
    staging.rename(out)
    shutil.rmtree(previous, ignore_errors=True)
