"""dbt runs inside the run's process: `carerank run` with every new dbt process forbidden still
builds the marts (both dbt steps, the project parsed at most once), and the warehouse is free for a
read-only reader in the same process afterwards (dbt-duckdb keeps its database open unless told
to close it)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from carerank.synthetic import generate_world
from tests.conftest import REPO, world_inputs

pytestmark = pytest.mark.e2e

# Runs `carerank run` in this interpreter with subprocess.Popen refusing any dbt command line,
# counts the parses, then opens the warehouse read-only in the same process.
SCRIPT = """
import json, subprocess, sys
import duckdb

real_popen = subprocess.Popen

class NoDbtPopen(real_popen):
    def __init__(self, args, *rest, **kwargs):
        command = " ".join(map(str, args)) if isinstance(args, (list, tuple)) else str(args)
        if "dbt" in command.split()[0].rsplit("/", 1)[-1]:
            raise AssertionError(f"a dbt process was started: {command}")
        super().__init__(args, *rest, **kwargs)

subprocess.Popen = NoDbtPopen

from dbt.cli.main import dbtRunner
parses = []
real_invoke = dbtRunner.invoke
def counting_invoke(self, args, **kwargs):
    if args and args[0] == "parse":
        parses.append(args)
    return real_invoke(self, args, **kwargs)
dbtRunner.invoke = counting_invoke

from carerank.cli import main
warehouse = json.loads(sys.argv[2])
sys.argv = ["carerank", *json.loads(sys.argv[1])]
code = 0
try:
    main()
except SystemExit as stop:
    code = stop.code or 0
with duckdb.connect(warehouse, read_only=True) as con:
    ranked = con.execute("select count(*) from marts.rpt_brand_ranking").fetchone()[0]
print(json.dumps({"code": code, "ranked": ranked, "parses": len(parses)}))
"""


def test_a_run_builds_both_dbt_steps_in_its_own_process(tmp_path: Path) -> None:
    world = tmp_path / "world"
    generate_world(n_brands=4, n_posts=400, n_days=3, seed=11).write(world)
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    args = [
        "run",
        *world_inputs(world),
        "--warehouse",
        str(warehouse),
    ]
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(args), json.dumps(str(warehouse))],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    # nothing of the in-process build outlives the run (DuckDB's bindings report leaked objects
    # at exit)
    assert "leaked" not in result.stderr, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["code"] == 0, result.stdout[-3000:]
    assert outcome["ranked"] > 0
    # the facts step parses (or reads back an earlier process's parse of the unchanged project),
    # the marts step reuses its manifest
    assert outcome["parses"] <= 1


def test_a_warehouse_in_another_folder_reuses_the_last_parse(tmp_path: Path, monkeypatch) -> None:
    """dbt parses the whole project again when its profile changed; the warehouse's folder and
    the memory limit change no parsed node, so a run on another warehouse of the same name (a
    second project, a benchmark's next run) reads the previous parse instead of redoing it:
    the manifest kept by the first, or else dbt's partial-parsing state with no file parsed."""
    from orchestration.dbt_in_process import PARSE_TARGET, parsed_manifest
    from orchestration.dbt_project import DBT_PROJECT_DIR

    project = str(DBT_PROJECT_DIR)
    perf_info = DBT_PROJECT_DIR / PARSE_TARGET / "perf_info.json"
    for folder, limit in (("first", "80%"), ("second", "1GB")):
        monkeypatch.setenv("CARERANK_WAREHOUSE", str(tmp_path / folder / "warehouse.duckdb"))
        monkeypatch.setenv("CARERANK_DUCKDB_MEMORY_LIMIT", limit)
        perf_info.unlink(missing_ok=True)  # written again by a parse that dbt runs
        manifest = parsed_manifest.__wrapped__(project, project, "duckdb")
        assert "model.carerank.fct_customer_posts" in manifest.nodes
    if perf_info.exists():
        perf = json.loads(perf_info.read_text())
        assert perf["parsed_path_count"] == 0, "the second parse parsed files again"
    assert not list(tmp_path.rglob("*.duckdb")), "parsing must not create a warehouse"


def test_dbt_hands_over_what_a_dbt_process_prints(tmp_path: Path, monkeypatch, capfd) -> None:
    """The events handed to dagster-dbt are those a dbt process prints at its default level (not
    the debug events, ten times as many), dbt prints none itself (dagster-dbt echoes them), and
    dbt.log keeps the record at the settings' level, in dbt's text format."""
    from orchestration.dbt_in_process import invoke
    from orchestration.dbt_project import DBT_PROJECT_DIR

    monkeypatch.setenv("CARERANK_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    for level in ("info", "debug"):
        monkeypatch.setenv("CARERANK_DBT_LOG_LEVEL", level)
        env = {
            "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR),
            "DBT_LOG_FORMAT": "json",
            "DBT_LOG_PATH": str(tmp_path / level),
            "DBT_TARGET_PATH": str(tmp_path / "target"),
        }
        events, returncode = invoke(["ls", "--select", "stg_posts"], env, DBT_PROJECT_DIR)

        assert returncode == 0
        levels = {event["info"]["level"] for event in events}
        assert events and "debug" not in levels, levels
        assert not [line for line in capfd.readouterr().out.splitlines() if '"info"' in line]
        log = (tmp_path / level / "dbt.log").read_text()
        assert "[info ]" in log
        assert ("[debug]" in log) == (level == "debug")
        assert "\x1b[" not in log, "terminal colour codes in dbt.log"


def test_behavior_flags_name_their_source_without_reading_the_stack_s_files(monkeypatch) -> None:
    """An adapter's behavior flag without a source is named after the module that renders it,
    as dbt-common does, but without inspect.stack(), which reads every frame's source file."""
    import inspect

    from dbt_common.behavior_flags import BehaviorFlagRendered

    from orchestration import dbt_in_process

    flag = {"name": "some_flag", "default": False, "description": "a flag without a source"}
    dbt_common_says = BehaviorFlagRendered(flag, {})._behavior_change_event.flag_source
    monkeypatch.setattr(
        BehaviorFlagRendered, "_default_source", BehaviorFlagRendered._default_source
    )
    dbt_in_process._render_behavior_flags_cheaply.cache_clear()
    dbt_in_process._render_behavior_flags_cheaply()

    def no_stack(*args, **kwargs):
        raise AssertionError("inspect.stack() was called")

    monkeypatch.setattr(inspect, "stack", no_stack)
    ours = BehaviorFlagRendered(flag, {})._behavior_change_event.flag_source
    assert ours == dbt_common_says == __name__


# In a new process: keep dbt's JSON schemas in the file argv[1], read the schema of
# dbt_project.yml and say whether mashumaro had to build it.
SCHEMA_SCRIPT = """
import json, sys
from pathlib import Path
from dbt_common import dataclass_schema
from dbt.contracts.project import Project
from orchestration import dbt_in_process

built = []
real_build = dataclass_schema.build_json_schema
def counting_build(cls, *args, **kwargs):
    built.append(cls.__name__)
    return real_build(cls, *args, **kwargs)
dataclass_schema.build_json_schema = counting_build

dbt_in_process._keep_json_schemas(Path(sys.argv[1]))
print(json.dumps({"built": built, "schema": Project.json_schema()}))
"""


def last_json_line(script: str, *args: str, env: dict[str, str] | None = None) -> dict:
    """The JSON ``script`` prints last, run with ``args`` in a new Python process."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def schema_in_new_process(cache: Path) -> dict:
    return last_json_line(SCHEMA_SCRIPT, str(cache))


def test_dbt_json_schemas_are_built_once_and_kept_for_the_next_processes(tmp_path) -> None:
    """dbt's schema of dbt_project.yml is built by mashumaro in the first process, read from
    the cache file by the next (the same schema), and built again when the installed versions
    differ from those it was kept under."""
    cache = tmp_path / "json_schemas.json"
    first = schema_in_new_process(cache)
    assert first["built"] == ["Project"] and cache.exists()
    second = schema_in_new_process(cache)
    assert second["built"] == [] and second["schema"] == first["schema"]

    stored = json.loads(cache.read_text())
    stored["versions"]["dbt-core"] = "0.0.1"
    cache.write_text(json.dumps(stored))
    assert schema_in_new_process(cache)["built"] == ["Project"]
    assert json.loads(cache.read_text())["versions"]["dbt-core"] != "0.0.1"


# In a new process: parse the dbt project in argv[1] once (as every run does) and say how many
# times dbt parsed it and what the manifest holds of one model.
PARSE_SCRIPT = """
import json, sys
from dbt.cli.main import dbtRunner
from orchestration import dbt_in_process

parses = []
real_invoke = dbtRunner.invoke
def counting_invoke(self, args, **kwargs):
    parses.append(args[0])
    return real_invoke(self, args, **kwargs)
dbtRunner.invoke = counting_invoke

manifest = dbt_in_process.parsed_manifest(sys.argv[1], sys.argv[1], "duckdb")
node = manifest.nodes["model.carerank.stg_brands"]
print(json.dumps({"parses": parses, "nodes": len(manifest.nodes), "code": node.raw_code}))
"""


def parse_in_new_process(project: Path, warehouse: Path) -> dict:
    env = {**os.environ, "CARERANK_WAREHOUSE": str(warehouse)}
    return last_json_line(PARSE_SCRIPT, str(project), env=env)


def test_an_unchanged_project_is_not_parsed_again_by_the_next_process(tmp_path) -> None:
    """The first process parses the project; the next reads back its manifest without calling
    dbt; after an edit of a model the next parses again and sees the edit."""
    project = tmp_path / "dbt_project"
    shutil.copytree(REPO / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs"))
    warehouse = tmp_path / "warehouse.duckdb"
    first = parse_in_new_process(project, warehouse)
    assert first["parses"] == ["parse"] and first["nodes"] > 20
    second = parse_in_new_process(project, warehouse)
    assert second == {**first, "parses": []}

    model = project / "models" / "staging" / "stg_brands.sql"
    model.write_text(model.read_text() + "\n-- edited\n")
    third = parse_in_new_process(project, warehouse)
    assert third["parses"] == ["parse"] and third["code"].rstrip().endswith("-- edited")
