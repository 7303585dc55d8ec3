"""Where carerank keeps its data, from environment variables (the same for Dagster, dbt and the
command line). Nothing here imports Dagster, so the CLI can set them before Dagster loads."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"


@dataclass(frozen=True)
class Settings:
    warehouse: Path
    landing_dir: Path
    inbox_dir: Path
    brands_file: Path | None
    accounts_file: Path | None

    def export(self) -> None:
        """Put the settings into the environment, where dbt's profile and Dagster's resources
        read them."""
        os.environ["CARERANK_WAREHOUSE"] = str(self.warehouse)
        os.environ["CARERANK_LANDING_DIR"] = str(self.landing_dir)
        os.environ["CARERANK_INBOX"] = str(self.inbox_dir)
        for name, value in (
            ("CARERANK_BRANDS_FILE", self.brands_file),
            ("CARERANK_ACCOUNTS_FILE", self.accounts_file),
        ):
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = str(value)


def _optional_path(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser().resolve() if value else None


def settings_from_env(warehouse: str | Path | None = None) -> Settings:
    """Settings from ``CARERANK_*`` variables; the landing zone and the inbox live beside the
    warehouse unless configured (SPEC §4)."""
    wh = Path(
        warehouse or os.environ.get("CARERANK_WAREHOUSE") or REPO_ROOT / "data" / "warehouse.duckdb"
    )
    wh = wh.expanduser().resolve()
    landing = (
        os.environ.get("CARERANK_LANDING_DIR") if warehouse is None else None
    ) or wh.parent / "landing"
    inbox = (os.environ.get("CARERANK_INBOX") if warehouse is None else None) or wh.parent / "inbox"
    return Settings(
        warehouse=wh,
        landing_dir=Path(landing).expanduser().resolve(),
        inbox_dir=Path(inbox).expanduser().resolve(),
        brands_file=_optional_path("CARERANK_BRANDS_FILE"),
        accounts_file=_optional_path("CARERANK_ACCOUNTS_FILE"),
    )
