"""How much memory carerank's DuckDB databases may take before they spill to disk.

DuckDB takes up to 80% of the machine's memory by default: fast on a dedicated server, but on a
laptop, or a server shared with other jobs, a year of posts for every brand can push the machine
into swap. Each database carerank opens for a run (the warehouse, dbt's connection to it, the
in-memory one that parses an input) takes the same limit (setting duckdb_memory_limit, DuckDB's
80% unless set); past it, DuckDB writes intermediate results to a spill folder and goes on. A
limit far below what one step needs at once fails that step with DuckDB's out-of-memory error
instead."""

from __future__ import annotations

import tempfile
from pathlib import Path

# DuckDB's own default, written out: the setting is then explicit in every run's record
DEFAULT_MEMORY_LIMIT = "80%"
# what DuckDB reads as a limit: a size (3GB, 1.5 GiB) or a share of the machine's memory (50%)
MEMORY_LIMIT_PATTERN = r"(?i)^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB|%)$"


def memory_config(memory_limit: str | None, in_memory: bool = False) -> dict[str, str]:
    """DuckDB's connection config for ``memory_limit`` (none: DuckDB's own default). A file
    database spills beside itself (``<file>.tmp``); an in-memory one would spill into the
    working folder, so it gets a folder in the system's temporary directory instead."""
    if not memory_limit:
        return {}
    config = {"memory_limit": memory_limit}
    if in_memory:
        config["temp_directory"] = str(Path(tempfile.gettempdir()) / "carerank-duckdb-spill")
    return config
