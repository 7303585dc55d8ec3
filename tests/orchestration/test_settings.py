"""The one settings object: every value from the command line over the environment over the
settings file over the defaults, each with its source; secrets masked; README's table generated
from the definitions; no other module reads the environment."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from ingestion.postgres import PostgresTarget
from orchestration.settings import (
    DBT_FILESYSTEMS_ENV,
    SettingsError,
    load_settings,
    settings_markdown,
    settings_rows,
)
from tests.conftest import REPO, run_cli


def test_precedence_and_sources(tmp_path):
    (tmp_path / "carerank.toml").write_text(
        'warehouse = "file/w.duckdb"\nvolume_ratio = 7\nfreshness_hour = 9\n[x]\ntimeout = 3\n'
    )
    environ = {"CARERANK_VOLUME_RATIO": "8", "CARERANK_X_BUDGET": "12"}
    loaded = load_settings({"volume_ratio": 9.5}, environ, cwd=tmp_path)
    settings, sources = loaded.settings, loaded.sources
    assert settings.volume_ratio == 9.5 and sources["volume_ratio"] == "command line"
    assert settings.freshness_hour == 9 and sources["freshness_hour"].startswith("file ")
    assert settings.x.budget == 12 and sources["x.budget"] == "environment CARERANK_X_BUDGET"
    assert settings.x.timeout == 3 and settings.x.max_attempts == 5
    assert sources["x.max_attempts"] == "default"
    # paths are absolute, and the data folder's folders follow the warehouse
    assert settings.warehouse == (tmp_path / "file" / "w.duckdb").resolve()
    assert settings.landing_dir == settings.warehouse.parent / "landing"
    assert sources["landing_dir"] == "data folder"


def test_secrets_are_masked_and_never_printed(tmp_path):
    environ = {"CARERANK_X_BEARER_TOKEN": "s3cret-token", "CARERANK_FACEBOOK_PAGE_TOKEN_42": "pg"}
    loaded = load_settings(None, environ, cwd=tmp_path)
    assert loaded.settings.x.token.get_secret_value() == "s3cret-token"
    rows = {row["setting"]: row for row in settings_rows(loaded)}
    assert rows["x.token"]["value"] == "********" and rows["x.token"]["secret"] == "yes"
    assert rows["facebook_page_tokens"]["value"] == "42=********"
    result = run_cli("config", env=environ)
    assert result.returncode == 0 and "s3cret-token" not in result.stdout + result.stderr
    assert "environment CARERANK_X_BEARER_TOKEN" in result.stdout


@pytest.mark.parametrize(
    ("environ", "toml", "expected"),
    [
        ({"CARERANK_VOLUME_RATIO": "lots"}, "", "volume_ratio (environment CARERANK_VOLUME_RATIO)"),
        ({"CARERANK_FRESHNESS_HOUR": "25"}, "", "freshness_hour"),
        ({}, "horizon = 3\n", "unknown setting(s) horizon"),
        ({}, "not toml = = \n", "settings file"),
    ],
)
def test_a_wrong_setting_is_one_line(tmp_path, environ, toml, expected):
    if toml:
        (tmp_path / "carerank.toml").write_text(toml)
    with pytest.raises(SettingsError, match=re.escape(expected)) as info:
        load_settings(None, environ, cwd=tmp_path)
    assert "\n" not in str(info.value)


def test_a_wrong_setting_on_the_command_line_exits_2(tmp_path):
    result = run_cli("config", env={"CARERANK_MAX_QUARANTINE_SHARE": "2"})
    assert result.returncode == 2 and "max_quarantine_share" in result.stderr
    assert "Traceback" not in result.stderr


def test_readme_table_is_generated_from_the_settings():
    readme = (REPO / "README.md").read_text()
    table = readme.split("<!-- settings:start -->\n")[1].split("\n<!-- settings:end -->")[0]
    assert table.strip() == settings_markdown().strip(), "run `carerank config --markdown`"


def test_only_the_settings_module_reads_the_environment():
    readers = re.compile(r"os\.environ\.get|os\.getenv|os\.environ\[[^\]]+\](?!\s*=)|env_var\(")
    offenders = []
    for folder in ("carerank", "ingestion", "orchestration", "benchmarks"):
        for path in (REPO / folder).rglob("*.py"):
            if path.name == "settings.py" and path.parent.name == "orchestration":
                continue
            text = path.read_text()
            offenders += [f"{path.relative_to(REPO)}: {m}" for m in readers.findall(text)]
    # dbt's profile reads the warehouse path the orchestration exports for it
    profile = (REPO / "dbt_project" / "profiles.yml").read_text()
    assert set(re.findall(r"env_var\('(\w+)'", profile)) <= {
        "CARERANK_WAREHOUSE",
        "CARERANK_DBT_TARGET",
        # the setting duckdb_memory_limit, exported by Settings.export
        "CARERANK_DUCKDB_MEMORY_LIMIT",
        # the parts of CARERANK_POSTGRES_URL, exported by Settings.export
        *PostgresTarget.DBT_ENV_NAMES,
        # the fsspec filesystem of an s3:// landing zone, exported by Settings.export
        DBT_FILESYSTEMS_ENV,
        # the Spark target, built by the dbt command the README gives (not by the orchestration):
        # where its tables and metastore go, its schema and the driver's memory
        "CARERANK_SPARK_DIR",
        "CARERANK_SPARK_SCHEMA",
        "CARERANK_SPARK_DRIVER_MEMORY",
    }
    assert not [o for o in offenders if 'CARERANK_WAREHOUSE")\n' not in o], offenders


def test_git_holds_only_sources():
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    tracked = [t for t in tracked if t]
    ignored = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--ignored", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    assert not [i for i in ignored if i], f"tracked but ignored: {ignored[:5]}"
    fixtures = ("tests/ingestion/bad_inputs/",)
    large = [
        t
        for t in tracked
        if (REPO / t).is_file()
        and (REPO / t).stat().st_size > 1_000_000
        and not t.startswith(fixtures)
    ]
    assert not large, f"files over 1 MB in git: {large}"
    assert not any(Path(t).parts[0] in {".tools", ".venv", "data", ".dagster"} for t in tracked)


def test_an_s3_landing_zone_gives_dbt_its_filesystem(monkeypatch, tmp_path):
    """dbt's connections read raw.posts through the same fsspec filesystem; a local landing zone
    gives dbt none (its connections stay as they were)."""
    monkeypatch.setattr(os, "environ", dict(os.environ))
    s3 = {"CARERANK_LANDING_DIR": "s3://bucket/landing", "CARERANK_S3_ENDPOINT_URL": "http://h:9"}
    load_settings(environ=s3, cwd=tmp_path).settings.export()
    [filesystem] = json.loads(os.environ[DBT_FILESYSTEMS_ENV])
    assert filesystem["fs"] == "s3"
    assert filesystem["client_kwargs"] == {"endpoint_url": "http://h:9"}
    assert "key" not in filesystem and "secret" not in filesystem  # credentials: botocore's chain
    load_settings(environ={}, cwd=tmp_path).settings.export()
    assert DBT_FILESYSTEMS_ENV not in os.environ
