"""Where carerank keeps its data, from environment variables (the same for Dagster, dbt and the
command line). Nothing here imports Dagster, so the CLI can set them before Dagster loads."""

from __future__ import annotations

import os
import shutil
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
    registry = registry_dir(wh)
    return Settings(
        warehouse=wh,
        landing_dir=Path(landing).expanduser().resolve(),
        inbox_dir=Path(inbox).expanduser().resolve(),
        brands_file=_optional_path("CARERANK_BRANDS_FILE") or _existing(registry / "brands.csv"),
        accounts_file=_optional_path("CARERANK_ACCOUNTS_FILE")
        or _existing(registry / "brand_accounts.csv"),
    )


def registry_dir(warehouse: Path) -> Path:
    """Where a warehouse keeps the registry it was last given (--brands/--accounts), so that
    every later run into it (a nightly run, a backfill) uses the same brands."""
    return warehouse.parent / "registry"


def _existing(path: Path) -> Path | None:
    return path if path.exists() else None


def keep_registry_file(warehouse: Path, given: Path, name: str) -> Path:
    """Copy a user's registry file beside the warehouse (atomically) and return the copy."""
    target = registry_dir(warehouse) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{name}.tmp")
    shutil.copyfile(given, tmp)
    os.replace(tmp, target)
    return target
