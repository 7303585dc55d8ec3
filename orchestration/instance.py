"""The Dagster instance of a data folder: its DAGSTER_HOME gets carerank's dagster.yaml once."""

from __future__ import annotations

import shutil
from pathlib import Path

INSTANCE_TEMPLATE = Path(__file__).resolve().with_name("dagster.yaml")


def prepare_dagster_home(home: Path) -> Path:
    """Create ``home`` with carerank's dagster.yaml unless it has one (a user's edits stay)."""
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        tmp = config.with_name(".dagster.yaml.tmp")
        shutil.copyfile(INSTANCE_TEMPLATE, tmp)
        tmp.replace(config)
    return home
