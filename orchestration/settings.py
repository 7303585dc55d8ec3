"""Where carerank keeps its data, from environment variables (the same for Dagster, dbt and the
command line). Nothing here imports Dagster, so the CLI can set them before Dagster loads."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path


def _dbt_project_dir() -> Path:
    """The dbt project: beside the packages in a clone, inside this package when carerank was
    installed from a wheel."""
    package = Path(__file__).resolve().parent
    clone = package.parent / "dbt_project"
    return clone if (clone / "dbt_project.yml").exists() else package / "packaged_dbt_project"


DBT_PROJECT_DIR = _dbt_project_dir()


@dataclass(frozen=True)
class Settings:
    warehouse: Path
    landing_dir: Path
    inbox_dir: Path
    brands_file: Path | None
    accounts_file: Path | None
    dagster_home: Path
    published: Path
    api_first_day: date = date(2024, 1, 1)

    def export(self) -> None:
        """Put the settings into the environment, where dbt's profile and Dagster's resources
        read them."""
        os.environ["CARERANK_WAREHOUSE"] = str(self.warehouse)
        os.environ["CARERANK_LANDING_DIR"] = str(self.landing_dir)
        os.environ["CARERANK_INBOX"] = str(self.inbox_dir)
        os.environ["DAGSTER_HOME"] = str(self.dagster_home)
        os.environ["CARERANK_PUBLISHED"] = str(self.published)
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
        warehouse or os.environ.get("CARERANK_WAREHOUSE") or Path("data") / "warehouse.duckdb"
    )
    wh = wh.expanduser().resolve()
    landing = (
        os.environ.get("CARERANK_LANDING_DIR") if warehouse is None else None
    ) or wh.parent / "landing"
    inbox = (os.environ.get("CARERANK_INBOX") if warehouse is None else None) or wh.parent / "inbox"
    registry = registry_dir(wh)
    # One Dagster instance per data folder, shared by `carerank run` and `carerank dev`: runs
    # from the command line show in the UI. DAGSTER_HOME points elsewhere when set.
    dagster_home = (os.environ.get("DAGSTER_HOME") if warehouse is None else None) or (
        wh.parent / "dagster"
    )
    published = (os.environ.get("CARERANK_PUBLISHED") if warehouse is None else None) or (
        wh.parent / "published" / wh.name
    )
    first_day = os.environ.get("CARERANK_FIRST_DAY", "").strip()
    return Settings(
        warehouse=wh,
        landing_dir=Path(landing).expanduser().resolve(),
        inbox_dir=Path(inbox).expanduser().resolve(),
        brands_file=_optional_path("CARERANK_BRANDS_FILE") or _existing(registry / "brands.csv"),
        accounts_file=_optional_path("CARERANK_ACCOUNTS_FILE")
        or _existing(registry / "brand_accounts.csv"),
        dagster_home=Path(dagster_home).expanduser().resolve(),
        published=Path(published).expanduser().resolve(),
        api_first_day=date.fromisoformat(first_day) if first_day else date(2024, 1, 1),
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
