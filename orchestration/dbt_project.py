"""The dbt project, alone in its module: `dagster-dbt project prepare-and-package` imports it to
write the manifest that the dbt assets need before they can load."""

import functools
import hashlib

from dagster_dbt import DbtProject

from orchestration.settings import DBT_PROJECT_DIR

carerank_dbt = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
carerank_dbt.prepare_if_dev()


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
