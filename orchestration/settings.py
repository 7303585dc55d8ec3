"""Every setting of carerank, defined once: its name, type, default, description and whether it
is a secret. Values come from, in rising priority: the defaults here, a settings file
(``carerank.toml`` in the working folder, or the file ``CARERANK_CONFIG`` names), the environment
(``CARERANK_<NAME>``; nested ones ``CARERANK_<NETWORK>_<NAME>``) and the command line. They are
read when a command or a run starts (``load_settings``), never at import, and ``carerank config``
shows each value and where it came from.

Nothing here imports Dagster or dbt, so the command line can load the settings before either."""

from __future__ import annotations

import json
import os
import shutil
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from ingestion.duckdb_memory import DEFAULT_MEMORY_LIMIT, MEMORY_LIMIT_PATTERN

if TYPE_CHECKING:
    from ingestion.connectors.base import ApiAccess
    from ingestion.postgres import PostgresTarget
    from ingestion.storage import LandingZone

SETTINGS_FILE = "carerank.toml"
SECRET = {"secret": True}
# dbt-duckdb's fsspec filesystems, as JSON, for the profile (profiles.yml): how dbt's connections
# read an S3 landing zone. Derived from the settings, not a setting.
DBT_FILESYSTEMS_ENV = "CARERANK_DBT_FILESYSTEMS"


def _dbt_project_dir() -> Path:
    """The dbt project: beside the packages in a clone, inside this package when carerank was
    installed from a wheel."""
    package = Path(__file__).resolve().parent
    clone = package.parent / "dbt_project"
    return clone if (clone / "dbt_project.yml").exists() else package / "packaged_dbt_project"


DBT_PROJECT_DIR = _dbt_project_dir()


class SettingsError(ValueError):
    """A setting that cannot be used: one line naming it, where it came from and why."""


class NetworkApi(BaseModel):
    """How carerank talks to one network's API."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base_url: str | None = Field(None, description="API base URL.")
    token: SecretStr | None = Field(None, description="Access token.", json_schema_extra=SECRET)
    timeout: float = Field(10.0, gt=0, description="Seconds to wait for one response.")
    max_attempts: int = Field(5, ge=1, description="Attempts per request before giving up.")
    budget: int = Field(10000, ge=1, description="Requests allowed per run.")
    backoff: float = Field(0.5, ge=0, description="First retry wait in seconds (then doubled).")


class Settings(BaseModel):
    """The effective settings of one command or run."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    warehouse: Path = Field(
        Path("data/warehouse.duckdb"), description="The DuckDB warehouse file (its data folder)."
    )
    landing_dir: Path | str | None = Field(
        None, description="Landing zone: a folder or s3://bucket/prefix (default: landing/ beside)."
    )
    s3_endpoint_url: str | None = Field(
        None,
        description="Endpoint of an S3-compatible server for an s3:// landing zone (default: AWS).",
    )
    inbox_dir: Path | None = Field(
        None, description="Files a scheduled run lands (default: inbox/ beside the warehouse)."
    )
    published: Path | None = Field(
        None, description="The copy BI tools read (default: published/<warehouse name> beside)."
    )
    dagster_home: Path | None = Field(
        None, description="Dagster's instance folder (default: dagster/ beside the warehouse)."
    )
    brands_file: Path | None = Field(
        None, description="brands.csv replacing the seed (default: the one kept in registry/)."
    )
    accounts_file: Path | None = Field(
        None, description="brand_accounts.csv replacing the seed (default: kept in registry/)."
    )
    dbt_vars: dict[str, Any] = Field(
        default_factory=dict,
        description="Overrides of the metric thresholds in dbt_project.yml (JSON or TOML table).",
    )
    response_clock: Literal["wall", "business"] = Field(
        "wall",
        description="Clock of the ranking's times and SLA shares: wall, or business (open hours).",
    )
    dbt_target: Literal["duckdb", "postgres"] = Field(
        "duckdb", description="Warehouse the models are built in: duckdb or postgres."
    )
    dbt_log_level: Literal["debug", "info", "warn", "error", "none"] = Field(
        "info",
        description="Level of dbt.log, each dbt step's record (target/dagster/<step>/): debug "
        "adds every query and connection (about a tenth of a small run).",
    )
    postgres_url: SecretStr | None = Field(
        None,
        description="PostgreSQL of the postgres target: postgresql://user:password@host:5432/db.",
        json_schema_extra=SECRET,
    )
    max_quarantine_share: float = Field(
        0.01, ge=0, le=1, description="Rejected share of a file above which nothing of it lands."
    )
    duckdb_storage_version: str = Field(
        "v1.2.0", description="Storage format of new DuckDB files (readable by BI drivers)."
    )
    duckdb_memory_limit: str = Field(
        DEFAULT_MEMORY_LIMIT,
        pattern=MEMORY_LIMIT_PATTERN,
        description="Memory a DuckDB database may use before it spills to disk: 3GB, or 50%.",
    )
    gx_suites: Path | None = Field(
        None, description="Folder of great-expectations suites (default: the packaged ones)."
    )
    checks_gx_sample_rows: int = Field(
        10000,
        ge=1,
        description="Rows of a check's window great-expectations validates (SQL checks them all).",
    )
    volume_ratio: float = Field(5.0, gt=1, description="Volume anomaly: times above or below.")
    volume_min_baseline: float = Field(
        20.0, ge=0, description="Volume anomaly: smallest trailing median judged."
    )
    freshness_hour: int = Field(
        6, ge=0, le=23, description="UTC hour by which yesterday must be landed."
    )
    alert_webhook_url: SecretStr | None = Field(
        None, description="Slack-compatible webhook for failed runs.", json_schema_extra=SECRET
    )
    api_networks: list[str] = Field(
        default_factory=list, description="Networks fetched from their APIs (e.g. x,bluesky)."
    )
    first_day: date = Field(date(2024, 1, 1), description="First daily partition of API assets.")
    x: NetworkApi = Field(NetworkApi(base_url="https://api.x.com"), description="X API v2.")
    facebook: NetworkApi = Field(
        NetworkApi(base_url="https://graph.facebook.com"), description="Facebook Graph API."
    )
    facebook_api_version: str = Field("v21.0", description="Graph API version.")
    facebook_page_tokens: dict[str, SecretStr] = Field(
        default_factory=dict,
        description="Per-page tokens (CARERANK_FACEBOOK_PAGE_TOKEN_<PAGEID>).",
        json_schema_extra=SECRET,
    )
    mastodon: NetworkApi = Field(
        NetworkApi(), description="Mastodon (default server: the account's own)."
    )
    bluesky: NetworkApi = Field(
        NetworkApi(base_url="https://public.api.bsky.app"), description="Bluesky AppView."
    )
    debug: bool = Field(False, description="Show stack traces of failures.")

    @field_validator("landing_dir", mode="before")
    @classmethod
    def _folder_or_url(cls, value: Any) -> Any:
        """An s3:// URL stays text (a path would fold its ``//``); anything else is a folder."""
        if isinstance(value, str):
            from ingestion.storage import is_remote

            return value.strip().rstrip("/") if is_remote(value.strip()) else Path(value)
        return value

    @field_validator("s3_endpoint_url")
    @classmethod
    def _endpoint(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value

    def landing(self) -> LandingZone:
        """The landing zone: its folder or URL, and the S3 endpoint it is reached through."""
        from ingestion.storage import LandingZone

        return LandingZone.of(self.landing_dir or "landing", self.s3_endpoint_url)

    @field_validator("api_networks", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [n.strip().lower() for n in value.split(",") if n.strip()]
        return value

    @field_validator("dbt_vars", mode="before")
    @classmethod
    def _json_table(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    def network(self, name: str) -> NetworkApi:
        """The API settings of a network by its canonical name (twitter is the X API)."""
        return getattr(self, "x" if name in ("x", "twitter") else name)

    def export(self) -> None:
        """Put the settings into this process's environment, where the processes it starts
        (dbt, Dagster's code server) load them again."""
        for _, variable, value in _flat(self):
            if value is None or value == {} or value == []:
                os.environ.pop(variable, None)
            else:
                os.environ[variable] = _env_text(value)
        for page, token in self.facebook_page_tokens.items():
            os.environ[f"CARERANK_FACEBOOK_PAGE_TOKEN_{page}"] = token.get_secret_value()
        self._export_postgres()
        filesystems = self.landing().dbt_filesystems()
        if filesystems:
            os.environ[DBT_FILESYSTEMS_ENV] = json.dumps(filesystems)
        else:
            os.environ.pop(DBT_FILESYSTEMS_ENV, None)

    def _export_postgres(self) -> None:
        """dbt's profile cannot parse a URL: the parts of postgres_url go to the variables it
        reads, the password to one whose name dbt masks in its logs (DBT_ENV_SECRET_ prefix)."""
        from ingestion.postgres import PostgresTarget

        parts = (
            PostgresTarget.from_url(self.postgres_url.get_secret_value()).dbt_env()
            if self.postgres_url is not None
            else {}
        )
        for name in PostgresTarget.DBT_ENV_NAMES:
            if name in parts:
                os.environ[name] = parts[name]
            else:
                os.environ.pop(name, None)

    def postgres(self) -> PostgresTarget:
        """The PostgreSQL the postgres target builds in (a setting error when it is not set)."""
        from ingestion.postgres import PostgresTarget

        if self.postgres_url is None:
            raise SettingsError(
                f"the postgres target needs {env_name('postgres_url')} "
                "(postgresql://user:password@host:5432/db)"
            )
        return PostgresTarget.from_url(self.postgres_url.get_secret_value())


# Environment names that do not follow CARERANK_<KEY>.
ENV_NAMES = {
    "dagster_home": "DAGSTER_HOME",
    "inbox_dir": "CARERANK_INBOX",
    "x.token": "CARERANK_X_BEARER_TOKEN",
    "facebook.token": "CARERANK_FACEBOOK_PAGE_TOKEN",
    "mastodon.token": "CARERANK_MASTODON_TOKEN",
}
PAGE_TOKEN_PREFIX = "CARERANK_FACEBOOK_PAGE_TOKEN_"


def env_name(key: str) -> str:
    return ENV_NAMES.get(key, "CARERANK_" + key.replace(".", "_").upper())


def _keys(model: type[BaseModel] = Settings, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted key, field info) of every setting, nested network settings included."""
    for name, field in model.model_fields.items():
        if name == "facebook_page_tokens":
            continue  # one variable per page: read by prefix
        if field.annotation is NetworkApi:
            yield from _keys(NetworkApi, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", field


def _get(settings: BaseModel, key: str) -> Any:
    value: Any = settings
    for part in key.split("."):
        value = getattr(value, part)
    return value


def _flat(settings: Settings) -> Iterator[tuple[str, str, Any]]:
    for key, _ in _keys():
        yield key, env_name(key), _get(settings, key)


def _env_text(value: Any) -> str:
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, list):
        return ",".join(value)
    if isinstance(value, dict):
        return json.dumps(value)
    return str(value)


def _set(data: dict, key: str, value: Any) -> None:
    *parents, last = key.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def _file_values(path: Path) -> dict[str, Any]:
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"settings file {path}: {exc}") from None
    flat: dict[str, Any] = {}
    for name, value in table.items():
        if isinstance(value, dict) and name in ("x", "facebook", "mastodon", "bluesky"):
            flat.update({f"{name}.{sub}": v for sub, v in value.items()})
        else:
            flat[name] = value
    return flat


@dataclass(frozen=True)
class LoadedSettings:
    """Settings and where each value came from: default, file, environment or command line."""

    settings: Settings
    sources: dict[str, str]


def load_settings(
    command_line: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> LoadedSettings:
    """The effective settings: command line over environment over settings file over defaults;
    paths left open are derived from the warehouse's folder (its data folder)."""
    environ = os.environ if environ is None else environ
    cwd = cwd or Path.cwd()
    config = environ.get("CARERANK_CONFIG") or (cwd / SETTINGS_FILE)
    config_path = Path(config)
    from_file = _file_values(config_path) if config_path.is_file() else {}
    known = {key for key, _ in _keys()}
    unknown = sorted(set(from_file) - known - {"facebook_page_tokens"})
    if unknown:
        raise SettingsError(f"settings file {config_path}: unknown setting(s) {', '.join(unknown)}")
    data: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for key in known:
        for source, value in (
            ("command line", (command_line or {}).get(key)),
            (f"environment {env_name(key)}", environ.get(env_name(key), "").strip() or None),
            (f"file {config_path}", from_file.get(key)),
        ):
            if value is not None:
                _set(data, key, value)
                sources[key] = source
                break
        else:
            sources[key] = "default"
    data["facebook_page_tokens"] = {
        k.removeprefix(PAGE_TOKEN_PREFIX): v
        for k, v in environ.items()
        if k.startswith(PAGE_TOKEN_PREFIX) and v.strip()
    }
    sources["facebook_page_tokens"] = "environment" if data["facebook_page_tokens"] else "default"
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(p) for p in error["loc"])
        raise SettingsError(
            f"setting {key} ({sources.get(key, 'default')}): {error['msg']}"
        ) from None
    return LoadedSettings(*_derive(settings, sources, cwd))


def _derive(settings: Settings, sources: dict[str, str], cwd: Path) -> tuple[Settings, dict]:
    """Absolute paths, and the folders that live beside the warehouse unless set."""

    def absolute(path: Path) -> Path:
        path = path.expanduser()
        return (path if path.is_absolute() else cwd / path).resolve()

    warehouse = absolute(settings.warehouse)
    folder = warehouse.parent
    beside = {
        "landing_dir": folder / "landing",
        "inbox_dir": folder / "inbox",
        "published": folder / "published" / warehouse.name,
        "dagster_home": folder / "dagster",
        "brands_file": _existing(registry_dir(warehouse) / "brands.csv"),
        "accounts_file": _existing(registry_dir(warehouse) / "brand_accounts.csv"),
    }
    changes: dict[str, Any] = {"warehouse": warehouse}
    for key, derived in beside.items():
        given = getattr(settings, key)
        if isinstance(given, str):
            continue  # an object-store URL: nothing to resolve
        if given is not None:
            changes[key] = absolute(given)
        elif derived is not None:
            changes[key] = derived
            sources[key] = "data folder"
    if settings.gx_suites is not None:
        changes["gx_suites"] = absolute(settings.gx_suites)
    return settings.model_copy(update=changes), sources


def settings_from_env(warehouse: str | Path | None = None) -> Settings:
    """The effective settings, with a warehouse given on the command line when there is one. A
    warehouse given on the command line is a data folder of its own: the folders set for the
    default one (landing zone, inbox, published copy, Dagster instance) do not follow it."""
    if warehouse is None:
        return load_settings().settings
    environ = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {env_name(key) for key in ("landing_dir", "inbox_dir", "published", "dagster_home")}
    }
    return load_settings({"warehouse": Path(warehouse)}, environ).settings


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


def settings_rows(loaded: LoadedSettings) -> list[dict[str, str]]:
    """One row per setting for `carerank config`: name, variable, value (secrets masked),
    source and description."""
    rows = []
    for key, field in _keys():
        value = _get(loaded.settings, key)
        secret = bool((field.json_schema_extra or {}).get("secret"))
        shown = "" if value in (None, [], {}) else _env_text(value)
        rows.append(
            {
                "setting": key,
                "variable": env_name(key),
                "value": "********" if secret and shown else shown,
                "source": loaded.sources.get(key, "default"),
                "description": field.description or "",
                "secret": "yes" if secret else "",
            }
        )
    tokens = loaded.settings.facebook_page_tokens
    rows.append(
        {
            "setting": "facebook_page_tokens",
            "variable": f"{PAGE_TOKEN_PREFIX}<PAGEID>",
            "value": ", ".join(f"{page}=********" for page in tokens),
            "source": loaded.sources.get("facebook_page_tokens", "default"),
            "description": "Per-page tokens of Facebook pages.",
            "secret": "yes",
        }
    )
    return rows


def settings_markdown() -> str:
    """The settings table of README.md, generated from the definitions above."""
    lines = ["| setting | variable | default | description |", "|---|---|---|---|"]
    defaults = Settings()
    for key, field in _keys():
        default = _get(defaults, key)
        shown = "" if default in (None, [], {}) else _env_text(default)
        secret = " (secret)" if (field.json_schema_extra or {}).get("secret") else ""
        lines.append(
            f"| `{key}` | `{env_name(key)}` | {f'`{shown}`' if shown else ''} | "
            f"{field.description}{secret} |"
        )
    lines.append(
        f"| `facebook_page_tokens` | `{PAGE_TOKEN_PREFIX}<PAGEID>` | | "
        "Per-page tokens of Facebook pages. (secret) |"
    )
    return "\n".join(lines)


def api_access(settings: Settings, network: str) -> ApiAccess:
    """What the connector of ``network`` (twitter or x, facebook, mastodon, bluesky) needs."""
    from ingestion.connectors.base import ApiAccess

    key = "x" if network in ("x", "twitter") else network
    api = settings.network(key)
    facebook = key == "facebook"
    return ApiAccess(
        base_url=api.base_url,
        token=api.token.get_secret_value() if api.token else None,
        token_variable=env_name(f"{key}.token"),
        timeout=api.timeout,
        max_attempts=api.max_attempts,
        budget=api.budget,
        backoff=api.backoff,
        api_version=settings.facebook_api_version if facebook else None,
        page_tokens={p: t.get_secret_value() for p, t in settings.facebook_page_tokens.items()}
        if facebook
        else {},
    )
