"""The benchmark's generated worlds, written once and kept outside the repository.

A world is cached under ``$XDG_CACHE_HOME/carerank-bench`` (default ``~/.cache/carerank-bench``)
in a folder named after its size and a hash of its parameters and of the generator's source: a
change to the generator makes new worlds instead of silently reusing stale ones."""

from __future__ import annotations

import hashlib
import shutil
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import carerank.synthetic
from carerank.synthetic import generate_world_chunks, write_world


@dataclass(frozen=True)
class WorldSpec:
    """What a benchmark world is made of: about ``posts`` customer posts (brand replies come on
    top: about 1.9 records per customer post) for ``brands`` brands over ``days`` days."""

    name: str
    posts: int
    brands: int
    days: int = 90
    seed: int = 1
    start: date = date(2026, 7, 1)


SIZES = {
    "100k": WorldSpec("100k", 100_000, 100),
    "1m": WorldSpec("1m", 1_000_000, 1_000),
    "10m": WorldSpec("10m", 10_000_000, 10_000),
}


def cache_root() -> Path:
    """Outside the repository, where a later `make bench` finds the worlds again."""
    return Path.home() / ".cache" / "carerank-bench"


def generator_hash(spec: WorldSpec) -> str:
    """A hash of the spec and of every source file of the generator."""
    digest = hashlib.sha256(repr(sorted(asdict(spec).items())).encode())
    for path in sorted(Path(carerank.synthetic.__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def world_dir(spec: WorldSpec) -> Path:
    return cache_root() / f"{spec.name}-{generator_hash(spec)}"


def ensure_world(spec: WorldSpec, log=print) -> Path:
    """The folder of ``spec``'s files, generated the first time (in parts, into a temporary folder
    renamed when complete: an interrupted generation is never taken for a world)."""
    folder = world_dir(spec)
    if (folder / "posts.jsonl").exists():
        log(f"world {spec.name}: cached in {folder}")
        return folder
    tmp = folder.with_name(f".{folder.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    began = time.perf_counter()
    parts = generate_world_chunks(
        n_brands=spec.brands,
        n_posts=spec.posts,
        n_days=spec.days,
        seed=spec.seed,
        start=spec.start,
    )
    write_world(tmp, parts)
    tmp.rename(folder)
    log(f"world {spec.name}: generated in {time.perf_counter() - began:.0f} s into {folder}")
    return folder
