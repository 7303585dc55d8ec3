"""What every connector provides, and the accounts it fetches for."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Protocol

from ingestion.connectors.http import MissingCredentialError
from ingestion.errors import IngestionError


@dataclass(frozen=True)
class BrandAccount:
    brand_id: str
    network: str
    account_id: str
    handle: str
    api_base_url: str | None = None  # Mastodon: the account's own server


class Stream(Protocol):
    """One paginated listing of one account: ``fetch(cursor)`` returns canonical records and the
    next cursor (None when the listing is exhausted for the day)."""

    name: str

    def fetch(self, cursor: str | None) -> tuple[list[dict], str | None]: ...


@dataclass
class Day:
    day: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.day, time.min, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=1)


class Connector(Protocol):
    network: str  # the canonical network name written into records

    def streams(self, account: BrandAccount, day: Day) -> list[Stream]: ...


@dataclass(frozen=True)
class ApiAccess:
    """What a connector needs to reach one network's API, taken from the settings by whoever
    starts the ingestion (this layer reads no environment)."""

    base_url: str | None = None
    token: str | None = None
    token_variable: str = ""  # named when the token is missing or refused
    timeout: float = 10.0
    max_attempts: int = 5
    budget: int = 10000
    backoff: float = 0.5
    api_version: str | None = None  # Graph API
    page_tokens: dict[str, str] = field(default_factory=dict)  # Facebook: one token per page

    def client_options(self) -> dict:
        return {
            "timeout": self.timeout,
            "max_attempts": self.max_attempts,
            "budget": self.budget,
            "backoff_initial": self.backoff,
        }

    def required_token(self, network: str) -> str:
        if not self.token:
            raise MissingCredentialError(network, self.token_variable)
        return self.token


def parse_time(value: str | None) -> datetime | None:
    """API timestamps: ISO 8601 with Z, +00:00 or +0000 offsets."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():
        text = text[:-2] + ":" + text[-2:]
    stamp = datetime.fromisoformat(text)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def load_accounts(path: Path, network: str) -> list[BrandAccount]:
    """The accounts of one network from a brand_accounts.csv (optional column api_base_url)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise IngestionError(f"{path}: cannot read the accounts file ({exc})") from exc
    accounts = [
        BrandAccount(
            brand_id=row["brand_id"].strip(),
            network=row["network"].strip().lower(),
            account_id=(row.get("account_id") or "").strip() or row["handle"].strip().lstrip("@"),
            handle=row["handle"].strip().lstrip("@"),
            api_base_url=(row.get("api_base_url") or "").strip() or None,
        )
        for row in rows
        if row.get("network", "").strip().lower() == network
    ]
    return accounts
