"""dbt run inside the Dagster process, with the project parsed once per process.

dagster-dbt's resource starts a new dbt process for every step: a Python start, dbt's imports and
a parse of the project each time, and a full parse whenever the vars change, which they do on
every run (the run's window is passed as vars). Nothing the project decides at parse time reads a
var (vars only shape the SQL that is compiled when a model runs), so the project is parsed once
with its own defaults, where dbt's partial parsing holds from run to run, and every build of the
process reuses that manifest through dbt's programmatic entry point (dbtRunner). dagster-dbt
still turns dbt's structured events into Dagster's materialisations and check results: the
events dbt hands to a callback are the ones its JSON log lines carry, kept at the level a dbt
process prints.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import pickle
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dagster_dbt import DbtCliResource
from dagster_dbt.core import resource as dagster_dbt_resource
from dagster_dbt.core.dbt_cli_invocation import DbtCliInvocation
from packaging import version

if TYPE_CHECKING:
    from dbt.contracts.graph.manifest import Manifest

# Where the once-per-process parse keeps dbt's partial-parsing state between processes.
PARSE_TARGET = Path("target") / "dagster" / "parse"


class FinishedDbt:
    """What dagster-dbt reads of a dbt process, for a dbt invocation that has already finished
    in this process: its command line and exit status."""

    def __init__(self, args: Sequence[str], returncode: int) -> None:
        self.args = list(args)
        self.returncode = returncode
        self.stdout = None

    def wait(self, timeout: float | None = None) -> int:
        return self.returncode

    def send_signal(self, signal: int) -> None:
        """Nothing to interrupt: the invocation ran to its end before its events are read."""


class InProcessDbtInvocation(DbtCliInvocation):
    """A dbt invocation run with dbtRunner in this process; dagster-dbt streams its events."""

    _events: list[dict[str, Any]]

    @classmethod
    def run(  # type: ignore[override]
        cls,
        args: Sequence[str],
        env: dict[str, str],
        project_dir: Path,
        **kwargs: Any,
    ) -> InProcessDbtInvocation:
        events, returncode = invoke(args[1:], env, project_dir)
        kwargs["project"] = kwargs.pop("dbt_project", None)
        invocation = cls(process=FinishedDbt(args, returncode), project_dir=project_dir, **kwargs)
        invocation._events = events
        return invocation

    def _stream_stdout(self) -> Iterator[dict[str, Any]]:
        self._error_messages = [
            event["info"]["msg"] for event in self._events if event["info"]["level"] == "error"
        ]
        yield from self._events


class InProcessDbtResource(DbtCliResource):
    """dagster-dbt's resource, whose invocations run in this process (see the module)."""

    def cli(self, args: Sequence[str], **kwargs: Any) -> DbtCliInvocation:
        with _invocation_class(InProcessDbtInvocation):
            return super().cli(args, **kwargs)

    @property
    def _cli_version(self) -> version.Version:
        """The dbt-core this process imports (not `dbt --version` in a new process)."""
        from dbt.version import __version__

        return version.parse(__version__)

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        """No second, read-only adapter beside the build's: it only serves fetching column
        metadata, which these assets do not ask for."""
        return None


@contextlib.contextmanager
def _invocation_class(cls: type[DbtCliInvocation]) -> Iterator[None]:
    """dagster-dbt builds its invocation through the name DbtCliInvocation of its resource
    module; point that name at ``cls`` for one call."""
    original = dagster_dbt_resource.DbtCliInvocation
    dagster_dbt_resource.DbtCliInvocation = cls
    try:
        yield
    finally:
        dagster_dbt_resource.DbtCliInvocation = original


def _calling_module() -> str:
    """What dbt-common's behavior flags record as a flag's source when its maintainer gave none:
    the first module on the stack outside dbt_common.behavior_flags. dbt-common finds it with
    inspect.stack(), which reads the source lines of every frame; a flag of the adapter is
    rendered at every dbt invocation, below Dagster's, click's and dbt's deep stacks, and that
    read cost about 0.15 s per flag, most of a second per run. Walking the frames gives the
    same module without reading any file."""
    frame = sys._getframe(1)
    while frame is not None:
        name = frame.f_globals.get("__name__")
        if name and name != "dbt_common.behavior_flags":
            return name
        frame = frame.f_back
    return "Unknown"


@functools.cache
def _render_behavior_flags_cheaply() -> None:
    """Point dbt-common's source lookup of behavior flags at _calling_module, once."""
    from dbt_common.behavior_flags import BehaviorFlagRendered

    BehaviorFlagRendered._default_source = staticmethod(_calling_module)


# The JSON schemas dbt validates its project and profile files with, kept between processes.
SCHEMA_CACHE = PARSE_TARGET / "json_schemas.json"
# What the schemas are built from: dbt's dataclasses (core, common, adapters) and mashumaro.
SCHEMA_SOURCES = (
    "dbt-core",
    "dbt-common",
    "dbt-adapters",
    "dbt-duckdb",
    "dbt-postgres",
    "dbt-spark",
    "mashumaro",
)


@functools.cache
def _keep_json_schemas(cache: Path) -> None:
    """Point dbt-common's JSON schemas at ``cache``, once. dbt validates dbt_project.yml,
    profiles.yml and the adapter's credentials against JSON schemas that mashumaro builds from
    dbt's dataclasses on their first use in a process: most of a second of every run, for
    schemas that change only with the installed dbt. They are kept in ``cache`` under the
    versions they were built with, and built again (and the file rewritten) on any other."""
    from dbt_common.dataclass_schema import dbtClassMixin

    versions = _installed_versions(SCHEMA_SOURCES)
    try:
        stored = json.loads(cache.read_text(encoding="utf-8"))
        schemas = stored["schemas"] if stored["versions"] == versions else {}
    except (OSError, ValueError, KeyError, TypeError):
        schemas = {}
    build = dbtClassMixin.json_schema.__func__

    def json_schema(cls: type) -> dict[str, Any]:
        name = f"{cls.__module__}.{cls.__qualname__}"
        if name not in schemas:
            schemas[name] = build(cls)
            _write_whole(cache, json.dumps({"versions": versions, "schemas": schemas}).encode())
        return schemas[name]

    dbtClassMixin.json_schema = classmethod(functools.cache(json_schema))


def _installed_versions(distributions: Sequence[str]) -> dict[str, str | None]:
    from importlib import metadata

    versions: dict[str, str | None] = {}
    for name in distributions:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _write_whole(path: Path, content: bytes) -> None:
    """``content`` as ``path``, whole or not at all (another process may read it meanwhile); a
    folder that cannot be written only costs the next process the work kept there."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        partial.write_bytes(content)
        partial.replace(path)
    except OSError:
        pass


def _prepare_dbt(project_dir: Path) -> None:
    """What this process patches into dbt before its first invocation on ``project_dir``."""
    _render_behavior_flags_cheaply()
    _keep_json_schemas(project_dir / SCHEMA_CACHE)


def invoke(args: Sequence[str], env: Mapping[str, str], project_dir: Path):
    """Run dbt with ``args`` in ``env`` (the variables dagster-dbt sets for a dbt process: target
    and log paths, indirect selection) on the manifest parsed once; return its events as dicts
    (the JSON log format) and an exit status like the dbt command's."""
    from dbt.cli.main import dbtRunner
    from dbt_common.events.functions import msg_to_dict

    _prepare_dbt(project_dir)
    events: list[dict[str, Any]] = []

    def keep(message: Any) -> None:
        # what a dbt process prints at its default level, all that dagster-dbt reads of one;
        # the debug events (every query, connection and cache step) are ten times as many
        if message.info.level != "debug":
            events.append(msg_to_dict(message))

    quiet = {
        # dbt writes the whole manifest beside run_results.json after every build (half a
        # second on this project), though the manifest is the one parsed before
        "DBT_WRITE_JSON": "false",
        # dbt's own console log would print each event a second time: dagster-dbt echoes the
        # events it streams
        "DBT_LOG_LEVEL": "none",
        # dbt.log in the log path, at the settings' level, in dbt's readable format (the level
        # would otherwise follow the console's, and the format dagster-dbt's JSON), without
        # terminal colour codes (in the file and in the lines dagster-dbt echoes)
        "DBT_LOG_LEVEL_FILE": _dbt_log_level(),
        "DBT_LOG_FORMAT_FILE": "debug",
        "DBT_USE_COLORS": "false",
    }
    with _environment({**env, **quiet}), contextlib.chdir(project_dir):
        manifest = parsed_manifest(str(project_dir), env.get("DBT_PROFILES_DIR"), _dbt_target())
        runner = dbtRunner(manifest=manifest, callbacks=[keep])
        try:
            result = runner.invoke(list(args))
        finally:
            _release_duckdb()
        _write_run_results(result.result, Path(env.get("DBT_TARGET_PATH", "target")))
    returncode = 0 if result.success else (2 if result.exception is not None else 1)
    return events, returncode


def _write_run_results(results: Any, target_path: Path) -> None:
    """run_results.json of an invocation that ran nodes, as dbt writes it (the node-by-node
    record that benchmarks and people read after a run)."""
    if hasattr(results, "write"):
        results.write(str(target_path / "run_results.json"))


def _release_duckdb() -> None:
    """Close the warehouse that dbt-duckdb keeps open for the life of the process: the checks
    after a build open it read-only, which DuckDB refuses while a read-write handle is open in
    the same process."""
    connections = sys.modules.get("dbt.adapters.duckdb.connections")
    if connections is None:
        return
    manager = connections.DuckDBConnectionManager
    environment = getattr(manager, "_ENV", None)
    if environment is not None:
        environment.close()
    manager.close_all_connections()


@contextlib.contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    """The process environment set to ``env`` for one invocation (dbt reads its flags from it),
    then restored. Dagster runs one step at a time per process, so no other step sees it."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _dbt_log_level() -> str:
    """The level of dbt.log the settings ask for."""
    from orchestration.settings import load_settings

    return load_settings().settings.dbt_log_level


def _dbt_target() -> str:
    """The target the profile selects (the settings export it for profiles.yml)."""
    from orchestration.settings import load_settings

    return load_settings().settings.dbt_target


@functools.cache
def parsed_manifest(project_dir: str, profiles_dir: str | None, target: str | None) -> Manifest:
    """The project parsed with its own vars (none given), once per process and profile target
    (``target`` is the cache key: profiles.yml picks the target itself). A parse whose inputs
    have not changed since the last process's is read back from that process's pickle (see
    _manifest_key); otherwise dbt parses, partially where it can."""
    from dbt.cli.main import dbtRunner

    _prepare_dbt(Path(project_dir))
    args = ["parse", "--quiet", "--no-write-json", "--project-dir", project_dir]
    args += ["--target-path", str(PARSE_TARGET)]
    if profiles_dir:
        args += ["--profiles-dir", profiles_dir]
    cache = Path(project_dir) / MANIFEST_CACHE
    with _environment(_parse_environment(Path(project_dir))):
        key = _manifest_key(Path(project_dir), profiles_dir, target)
        manifest = _kept_manifest(cache, key)
        if manifest is not None:
            return manifest
        result = dbtRunner().invoke(args)
    if not result.success:
        raise RuntimeError(f"dbt parse failed: {result.exception}")
    _keep_manifest(cache, key, result.result)
    return result.result


# The last parse's manifest, pickled with the key of what it was parsed from.
MANIFEST_CACHE = PARSE_TARGET / "manifest.pickle"
# Folders of a dbt project that hold its output, not its sources.
BUILD_FOLDERS = {"target", "logs", "dbt_packages"}


def _manifest_key(project_dir: Path, profiles_dir: str | None, target: str | None) -> str:
    """A digest of everything a parse reads: every file of the project (its folders of output
    left out) and profiles.yml, the profile's inputs from the settings (the variables the
    parse pins, the target, the PostgreSQL server without its password) and the installed dbt.
    Reading dbt's partial-parsing state back costs most of a second per process (mashumaro
    generates its decoders first); unpickling the manifest it gave costs a few hundredths."""
    digest = hashlib.sha256()
    files = [
        path
        for path in sorted(project_dir.rglob("*"))
        if path.is_file() and path.relative_to(project_dir).parts[0] not in BUILD_FOLDERS
    ]
    if profiles_dir:
        files.append(Path(profiles_dir) / "profiles.yml")
    for path in files:
        digest.update(str(path).encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    context = [
        target,
        _parse_environment(project_dir),
        _profile_inputs(),
        _installed_versions(SCHEMA_SOURCES),
        sys.version,
    ]
    digest.update(json.dumps(context, sort_keys=True).encode())
    return digest.hexdigest()


def _profile_inputs() -> dict[str, Any]:
    """What the settings give profiles.yml beside the pinned variables: the target and the
    PostgreSQL server's parts (its password left out: a parse renders it into no node)."""
    from orchestration.settings import load_settings

    settings = load_settings().settings
    inputs: dict[str, Any] = {"dbt_target": settings.dbt_target}
    if settings.postgres_url is not None:
        parts = settings.postgres().dbt_env()
        inputs["postgres"] = {k: v for k, v in parts.items() if "SECRET" not in k}
    return inputs


def _kept_manifest(cache: Path, key: str) -> Manifest | None:
    """The manifest pickled under ``key``, or None (none kept, another key, unreadable)."""
    from dbt.contracts.graph.manifest import Manifest

    try:
        with cache.open("rb") as f:
            kept_key, kept_fields = pickle.load(f)
        if kept_key != key:
            return None
        return Manifest(**kept_fields)
    except Exception:  # a missing, partial or foreign file: parse instead
        return None


def _keep_manifest(cache: Path, key: str, manifest: Manifest) -> None:
    """Pickle ``manifest``'s public fields under ``key``: its lookups and lock are rebuilt on
    use (and dbt's own pickling of a Manifest passes its fields in the wrong order). A project
    whose own files read environment variables is not kept, and so parsed each time: the key
    holds only what the settings give the profile."""
    if manifest.env_vars:
        return
    public = {
        field.name: getattr(manifest, field.name)
        for field in dataclasses.fields(manifest)
        if not field.name.startswith("_")
    }
    try:
        kept = pickle.dumps((key, public), protocol=pickle.HIGHEST_PROTOCOL)
    except pickle.PicklingError:  # an adapter's object that will not pickle: parse next time
        return
    _write_whole(cache, kept)


def _parse_environment(project_dir: Path) -> dict[str, str]:
    """Profile variables pinned while parsing. dbt parses the whole project again whenever the
    profile differs from the last parse's, and a warehouse in another folder (a second project,
    a test, a benchmark) or another memory limit would make every run a full parse (seconds);
    neither changes a parsed node. Only the warehouse's file name does (it is the database the
    nodes name), so it is kept."""
    from ingestion.duckdb_memory import DEFAULT_MEMORY_LIMIT
    from orchestration.settings import DBT_FILESYSTEMS_ENV, env_name, load_settings

    pinned = {env_name("duckdb_memory_limit"): DEFAULT_MEMORY_LIMIT, DBT_FILESYSTEMS_ENV: "[]"}
    warehouse = load_settings().settings.warehouse
    if warehouse.name != ":memory:":
        pinned[env_name("warehouse")] = str(project_dir / PARSE_TARGET / warehouse.name)
    return pinned
