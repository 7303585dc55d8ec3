"""The classes of carerank's Dagster resources (``defs/resources.py`` builds the ones in use from
the settings): where the warehouse is, the monitoring thresholds, the alert webhook, and
great-expectations 1.x as asset checks.

``dagster-ge`` pins great-expectations < 1.0, so this is the thin resource of our own. A check
validates its window twice against a suite kept as JSON in ``orchestration/expectations``: every
row exactly, by the suite translated to one SQL query run in the warehouse
(``sql_expectations``), and a bounded sample of the rows by GX itself, on a DataFrame in an
ephemeral GX context. A window is never read into pandas whole. The result is an
``AssetCheckResult`` whose metadata names every failed expectation with sample offending values
and the method that found it.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import dagster as dg

from ingestion.storage import LandingZone
from ingestion.warehouse import STORAGE_COMPATIBILITY, connect, refresh_raw_views
from orchestration.gx_validation import GxOutcome, gx_outcomes, gx_outcomes_started
from orchestration.sql_expectations import (
    Dialect,
    SqlOutcome,
    outcomes,
    sample_query,
    suite_query,
)

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

    from ingestion.postgres import PostgresTarget
    from orchestration.run_window import RunWindow
    from orchestration.settings import Settings

SUITES_DIR = Path(__file__).resolve().parent / "expectations"


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file, its landing zone, inbox and published copy, and how files are
    written there: built from the settings when the definitions load."""

    path: str
    landing_dir: str
    """A folder, or an s3:// URL (reached through ``s3_endpoint_url``, AWS's when None)."""
    s3_endpoint_url: str | None = None
    inbox_dir: str
    published: str
    storage_version: str = STORAGE_COMPATIBILITY
    max_quarantine_share: float = 0.01
    memory_limit: str | None = None
    """How much memory a DuckDB database opened for the run may take (ingestion.duckdb_memory)."""
    target: str = "duckdb"
    """Where dbt builds the models: duckdb (this file) or postgres (setting postgres_url, read
    when needed: a secret is never part of a resource's configuration, which the UI shows)."""

    @classmethod
    def from_settings(cls, settings: Settings) -> WarehouseResource:
        return cls(
            path=str(settings.warehouse),
            landing_dir=str(settings.landing_dir),
            s3_endpoint_url=settings.s3_endpoint_url,
            inbox_dir=str(settings.inbox_dir),
            published=str(settings.published),
            storage_version=settings.duckdb_storage_version,
            max_quarantine_share=settings.max_quarantine_share,
            memory_limit=settings.duckdb_memory_limit,
            target=settings.dbt_target,
        )

    def postgres(self) -> PostgresTarget | None:
        """The PostgreSQL the models are built in, or None on the DuckDB target."""
        if self.target != "postgres":
            return None
        from orchestration.settings import load_settings

        return load_settings().settings.postgres()

    @property
    def dialect(self) -> Dialect:
        """The SQL dialect of the warehouse the models are built in (and checked in)."""
        return "postgres" if self.target == "postgres" else "duckdb"

    def landing(self) -> LandingZone:
        return LandingZone.of(self.landing_dir, self.s3_endpoint_url)

    def connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        """The warehouse, able to read its views over the landing zone wherever that is."""
        return connect(
            Path(self.path),
            read_only=read_only,
            storage_version=self.storage_version,
            landing=self.landing(),
            memory_limit=self.memory_limit,
        )

    def refresh_raw_views(self) -> None:
        refresh_raw_views(Path(self.path), self.landing(), self.storage_version)

    def query_df(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """Run a parameterised query (DuckDB's ``?`` parameters, SQL both targets understand)
        in the warehouse the models are built in and return a DataFrame (GX validates pandas:
        its SQL datasource fails on DuckDB)."""
        postgres = self.postgres()
        if postgres is not None:
            from ingestion.postgres import query_df

            return query_df(postgres, sql, params)
        with self.connect(read_only=True) as con:
            return con.execute(sql, params or []).df()

    def query_row(self, sql: str, params: list[Any] | None = None) -> tuple[Any, ...]:
        """The one row of an aggregate query (``?`` parameters), as the driver returns it."""
        postgres = self.postgres()
        if postgres is not None:
            from ingestion.postgres import to_pyformat

            with postgres.connect() as con, con.cursor() as cur:
                cur.execute(to_pyformat(sql), list(params or []))
                return tuple(cur.fetchone())
        with self.connect(read_only=True) as con:
            return tuple(con.execute(sql, params or []).fetchone())


class MonitoringResource(dg.ConfigurableResource):
    """Thresholds of the monitoring checks (warnings, not blocking)."""

    volume_ratio: float = 5.0
    volume_min_baseline: float = 20.0
    freshness_hour: int = 6


class AlertsResource(dg.ConfigurableResource):
    """Where failed runs are announced (nothing when the webhook is not set)."""

    webhook_url: str | None = None


class GreatExpectationsResource(dg.ConfigurableResource):
    """Validates windows with great-expectations 1.x suites stored as JSON files: every row by
    SQL in the warehouse, a sample of at most ``gx_sample_rows`` rows by GX."""

    suites_dir: str = str(SUITES_DIR)
    sample_size: int = 10
    """Unexpected values kept per failed expectation in the check's metadata."""
    gx_sample_rows: int = 10000
    """Rows of a window GX validates (setting checks_gx_sample_rows); SQL checks them all."""

    def load_suite_config(self, suite_name: str) -> dict[str, Any]:
        return json.loads((Path(self.suites_dir) / f"{suite_name}.json").read_text())

    def validate(
        self,
        df: pd.DataFrame,
        suite_name: str,
        parameters: dict[str, Any] | None = None,
        description: str = "",
    ) -> dg.AssetCheckResult:
        """GX alone on a DataFrame: every row of it."""
        config = self.load_suite_config(suite_name)
        results = gx_outcomes(df, suite_name, config, parameters)
        return to_check_result(results, suite_name, len(df), description, self.sample_size)

    def validate_in_database(
        self,
        warehouse: WarehouseResource,
        sql: str,
        params: list[Any],
        suite_name: str,
        what: str,
        parameters: dict[str, Any] | None = None,
    ) -> dg.AssetCheckResult:
        """The rows of ``sql`` (its ``?`` parameters ``params``) judged exactly by the suite's
        SQL in the warehouse, then a deterministic sample of them by GX: the check passes only
        when both pass, and fails (ERROR: blocking) naming what either found."""
        config = self.load_suite_config(suite_name)
        query = suite_query(
            config, sql, params, warehouse.dialect, parameters, self.sample_size, suite_name
        )
        sample = warehouse.query_df(
            sample_query(sql, self.gx_sample_rows, warehouse.dialect), params
        )
        # GX judges the sample in its worker while the database counts every row
        gx_verdicts = gx_outcomes_started(sample, suite_name, config, parameters)
        rows, found = outcomes(query, warehouse.query_row(query.sql, query.params))
        checked = zip(found, gx_verdicts(), strict=True)
        failures = [
            failure
            for by_sql, by_gx in checked
            if (failure := self._failure(by_sql, by_gx)) is not None
        ]
        return dg.AssetCheckResult(
            passed=not failures,
            severity=dg.AssetCheckSeverity.ERROR,
            description=f"{rows} {what}: every one checked by SQL, {len(sample)} of them by "
            "great-expectations",
            metadata={
                "suite": suite_name,
                "rows_validated": rows,
                "gx_sample_rows": len(sample),
                "expectations": len(found),
                "failed_expectations": len(failures),
                "failures": dg.MetadataValue.json(failures),
            },
        )

    def _failure(self, by_sql: SqlOutcome, by_gx: GxOutcome) -> dict[str, Any] | None:
        """One expectation's entry in the metadata when the SQL or GX found it failed: the
        exact count is the SQL's, the sample values the SQL's (else GX's)."""
        found_by = [
            m for m, ok in (("sql", by_sql.success), ("gx sample", by_gx.success)) if not ok
        ]
        if not found_by:
            return None
        sample = by_sql.sample or by_gx.result.get("partial_unexpected_list", [])
        return {
            "expectation": by_sql.type,
            "kwargs": _plain(by_sql.kwargs),
            "unexpected_count": by_sql.unexpected_count,
            "sample": _plain(sample)[: self.sample_size],
            "found_by": found_by,
            "gx_sample_unexpected_count": by_gx.result.get("unexpected_count"),
            "error": by_gx.exception_info.get("exception_message"),
        }


def validate_window(
    great_expectations: GreatExpectationsResource,
    warehouse: WarehouseResource,
    window: RunWindow | None,
    sql: str,
    suite_name: str,
    what: str,
    parameters: dict[str, Any] | None = None,
) -> dg.AssetCheckResult:
    """Validate the rows of a run's window: ``sql`` takes the window's first day and the day
    after its last as its two parameters (every row when the run has no window)."""
    first, end = (window.first, window.end) if window else (date(1970, 1, 1), date(9999, 1, 1))
    return great_expectations.validate_in_database(
        warehouse, sql, [first, end], suite_name, f"{what} ({window or 'all days'})", parameters
    )


def to_check_result(
    results: list[GxOutcome], suite_name: str, rows: int, description: str, sample_size: int
) -> dg.AssetCheckResult:
    """Map GX's validation results to a Dagster check result (ERROR severity: blocking)."""
    failed = []
    for item in results:
        if item.success:
            continue
        failed.append(
            {
                "expectation": item.type,
                "kwargs": item.kwargs,
                "unexpected_count": item.result.get("unexpected_count"),
                "sample": [_plain(v) for v in item.result.get("partial_unexpected_list", [])][
                    :sample_size
                ],
                "found_by": ["gx"],
                "error": item.exception_info.get("exception_message"),
            }
        )
    return dg.AssetCheckResult(
        passed=not failed,
        severity=dg.AssetCheckSeverity.ERROR,
        description=description or None,
        metadata={
            "suite": suite_name,
            "rows_validated": rows,
            "expectations": len(results),
            "failed_expectations": len(failed),
            "failures": dg.MetadataValue.json(failed),
        },
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):  # PostgreSQL's numeric
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    try:
        json.dumps(value)
    except TypeError:
        return str(value)
    return value
