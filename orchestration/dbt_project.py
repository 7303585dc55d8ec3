"""The dbt project, alone in its module: `dagster-dbt project prepare-and-package` imports it to
write the manifest that the dbt assets need before they can load."""

from dagster_dbt import DbtProject

from orchestration.settings import DBT_PROJECT_DIR

carerank_dbt = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
carerank_dbt.prepare_if_dev()
