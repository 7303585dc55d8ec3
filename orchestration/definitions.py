"""The one Definitions object: everything under ``orchestration/defs``."""

from pathlib import Path

import dagster as dg


@dg.definitions
def defs() -> dg.Definitions:
    # The package folder is the project root: installed from a wheel there is no pyproject.toml
    # for Dagster to find the project by.
    return dg.load_from_defs_folder(project_root=Path(__file__).resolve().parent)
