"""The dbt project, alone in its module, and the manifest that the dbt assets need before they
can load (the module defining the assets cannot build it: importing it already needs it)."""

import functools
import hashlib
import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from dagster_dbt import DbtProject

from ingestion.public_holidays import write_holidays
from orchestration.settings import DBT_PROJECT_DIR, Settings, registry_dir

carerank_dbt = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def ensure_dbt_manifest() -> Path:
    """dagster-dbt needs dbt's manifest before the definitions load; parse when it is missing or
    older than the project's files (after a pull or an edit)."""
    manifest = DBT_PROJECT_DIR / "target" / "manifest.json"
    sources = [
        p
        for folder in ("models", "macros", "seeds", "tests")
        for p in (DBT_PROJECT_DIR / folder).rglob("*")
        if p.is_file()
    ] + [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    newest = max(p.stat().st_mtime for p in sources)
    if manifest.exists() and manifest.stat().st_mtime >= newest:
        return manifest
    from dbt.cli.main import dbtRunner  # in process: no dbt executable on PATH needed

    result = dbtRunner().invoke(
        [
            "parse",
            "--quiet",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
        ]
    )
    if not result.success:
        raise RuntimeError(f"dbt parse failed: {result.exception}")
    return manifest


# Not DbtProject.prepare_if_dev(): under `dagster dev` it runs the `dbt` found on PATH, which an
# environment that is not activated does not have, and the code location fails to load.
ensure_dbt_manifest()


@functools.cache
def project_checksum() -> str:
    """A checksum of every file the dbt project builds from (models, macros, seeds, tests, its
    yml). Passed to dbt as var project_checksum: when the code changes, the incremental models
    rebuild everything once instead of mixing rows of the old and the new logic."""
    digest = hashlib.sha256()
    for path in sorted(DBT_PROJECT_DIR.glob("**/*")):
        relative = path.relative_to(DBT_PROJECT_DIR)
        if path.is_file() and relative.parts[0] in {"models", "macros", "seeds", "dbt_project.yml"}:
            digest.update(str(relative).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# Vars that describe a run, not the rules: they do not enter the rules' fingerprint.
RUN_VARS = ("start_date", "end_date", "project_checksum", "rules_checksum")


@functools.cache
def project_vars() -> dict[str, Any]:
    """The vars as dbt_project.yml sets them: the thresholds' one source of truth."""
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return dict(project.get("vars") or {})


def effective_vars(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The vars a build runs with: dbt_project.yml's, overridden by the settings' dbt_vars."""
    unknown = sorted(set(overrides or {}) - set(project_vars()))
    if unknown:
        raise ValueError(f"dbt_vars: unknown var(s) {', '.join(unknown)} (see dbt_project.yml)")
    return project_vars() | dict(overrides or {})


def build_vars(
    first: date | None,
    last: date | None,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The vars of one build over the window first .. last (None: everything): the settings'
    overrides, the window, and two checksums that make the incremental models rebuild
    everything once when the project's code or any var that shapes the rules changes."""
    rules = {k: v for k, v in effective_vars(overrides).items() if k not in RUN_VARS}
    rules_checksum = hashlib.sha256(json.dumps(rules, sort_keys=True, default=str).encode())
    return {
        **(overrides or {}),
        "start_date": first.isoformat() if first else None,
        "end_date": last.isoformat() if last else None,
        "project_checksum": project_checksum(),
        "rules_checksum": rules_checksum.hexdigest()[:16],
    }


def build_args(dbt_vars: Mapping[str, Any], full_refresh: bool = False) -> list[str]:
    """`dbt build` of every model and data test (the unit tests are the developers', run by
    pytest), with ``dbt_vars``."""
    args = ["build", "--exclude-resource-type", "unit_test", "--vars", json.dumps(dbt_vars)]
    return [*args, "--full-refresh"] if full_refresh else args


def rule_overrides(settings: Settings) -> dict[str, Any]:
    """The vars ``settings`` set: its dbt_vars, and the ranking's clock (a setting of its own,
    which a researcher states with the figures, so it wins over a dbt_vars entry)."""
    return {**settings.dbt_vars, "response_clock": settings.response_clock}


def settings_vars(settings: Settings, first: date | None, last: date | None) -> dict[str, Any]:
    """The vars of a build under ``settings``: its rules and the registry files in force. A
    user's brands file brings its countries' public holidays, written beside the warehouse."""
    registry = {
        "brands_file": str(settings.brands_file) if settings.brands_file else None,
        "accounts_file": str(settings.accounts_file) if settings.accounts_file else None,
        "holidays_file": str(holidays_file(settings)) if settings.brands_file else None,
    }
    return build_vars(first, last, {**rule_overrides(settings), **registry})


def holidays_file(settings: Settings) -> Path | None:
    """The public holidays of the brands file in force, kept beside the warehouse (rewritten
    only when they change); None with the seed brands, whose holidays are a seed too."""
    if settings.brands_file is None:
        return None
    target = registry_dir(settings.warehouse) / "public_holidays.csv"
    return write_holidays(settings.brands_file, target)


def compile_inline(sql: str) -> str:
    """``sql`` with the project's macros expanded, for DuckDB: how a command that works on a file,
    not on the warehouse, applies the very rules the models apply. dbt compiles against an
    in-memory DuckDB (the profile's variables are set for this process, which is a command
    working on a file: no warehouse is opened or created); its artifacts go to their own target
    folder, away from the manifest that runs read."""
    import contextlib
    import io
    import os

    from dbt.cli.main import dbtRunner  # in process: no dbt executable on PATH needed

    os.environ.update({"CARERANK_WAREHOUSE": ":memory:", "CARERANK_DBT_TARGET": "duckdb"})
    target = DBT_PROJECT_DIR / "target" / "compile_inline"
    with contextlib.redirect_stdout(io.StringIO()):  # dbt prints the compiled SQL too
        result = dbtRunner().invoke(
            [
                "compile",
                "--inline",
                sql,
                "--quiet",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--target-path",
                str(target),
                "--log-path",
                str(target),
            ]
        )
    if not result.success:
        raise RuntimeError(f"dbt could not compile the rules: {result.exception}")
    return result.result.results[0].node.compiled_code
