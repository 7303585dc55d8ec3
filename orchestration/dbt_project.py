"""The dbt project, alone in its module, and the manifest that the dbt assets need before they
can load (the module defining the assets cannot build it: importing it already needs it)."""

import functools
import hashlib
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.settings import DBT_PROJECT_DIR

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
