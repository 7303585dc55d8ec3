"""The one Definitions object: everything under ``orchestration/defs``."""

from pathlib import Path

import dagster as dg


@dg.definitions
def defs() -> dg.Definitions:
    # Found through orchestration/dg.toml, which ships in the wheel (pyproject.toml does not).
    return dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
