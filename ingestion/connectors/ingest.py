"""Ingest one UTC day of one network, resumably, and land it like a file import.

Every page fetched is written to a part file, and the cursor of each (network, account, stream,
day) is checkpointed after it, under ``<landing>/.checkpoints/<network>/<day>/`` (beside the
warehouse, in ``.checkpoints/``, when the landing zone is on S3: checkpoints are a process's
local state, rewritten after every page). A run that was
killed between pages starts again from the last checkpoint. When every account is done, the
parts are combined with duplicates removed (the same post on two pages, or in two listings), and
landed through the same reader, quarantine and atomic rename as files; then the checkpoints go.
Nothing is visible in the landing zone before that rename.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ingestion.connectors.base import ApiAccess, BrandAccount, Connector, Day
from ingestion.connectors.bluesky import BlueskyConnector
from ingestion.connectors.facebook import FacebookConnector
from ingestion.connectors.http import ApiClient, RequestStats, strip_secret_params
from ingestion.connectors.mastodon import MastodonConnector
from ingestion.connectors.x import XConnector
from ingestion.errors import IngestionError
from ingestion.landing import LandingResult, land_file
from ingestion.storage import LandingZone

# --network names on the command line -> (canonical network, environment key)
NETWORKS = {
    "x": ("twitter", "X"),
    "twitter": ("twitter", "X"),
    "facebook": ("facebook", "FACEBOOK"),
    "mastodon": ("mastodon", "MASTODON"),
    "bluesky": ("bluesky", "BLUESKY"),
}


@dataclass
class IngestResult:
    network: str
    day: date
    accounts: int
    stats: RequestStats
    landing: LandingResult
    resumed_streams: int = 0
    pages_by_account: dict[str, int] = field(default_factory=dict)


def _safe(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", value)


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def build_connector(
    network_arg: str, access: ApiAccess, sleep: Callable[[float], None] | None = None
) -> Connector:
    """The connector of ``network_arg`` with its clients configured by ``access`` (base URL,
    token, timeouts, retries and budget of that network)."""
    if network_arg not in NETWORKS:
        raise IngestionError(
            f"unknown network {network_arg!r}; use twitter, facebook, mastodon or bluesky"
        )
    network, _ = NETWORKS[network_arg]
    stats = RequestStats()
    extra = {"sleep": sleep} if sleep else {}
    refused = f"the token was refused: renew {access.token_variable}"

    def client(base_url: str, account: BrandAccount, token: str | None, hint: str) -> ApiClient:
        return ApiClient(
            network,
            base_url,
            account=account.handle,
            token=token,
            credential_hint=hint,
            stats=stats,
            **access.client_options(),
            **extra,
        )

    if network == "twitter":
        token = access.required_token(network)
        base = access.base_url or "https://api.x.com"
        connector = XConnector(lambda a: client(base, a, token, refused))
    elif network == "facebook":
        token = access.required_token(network)
        base = access.base_url or "https://graph.facebook.com"

        def page_client(account: BrandAccount) -> ApiClient:
            page_token = access.page_tokens.get(_safe(account.account_id), token)
            return client(base, account, page_token, refused)

        connector = FacebookConnector(page_client, version=access.api_version or "v21.0")
    elif network == "mastodon":
        token = access.required_token(network)

        def mastodon_client(account: BrandAccount) -> ApiClient:
            server = access.base_url or account.api_base_url or _instance_of(account.handle)
            return client(server, account, token, refused)

        connector = MastodonConnector(mastodon_client)
    else:
        base = access.base_url or "https://public.api.bsky.app"
        connector = BlueskyConnector(lambda a: client(base, a, None, "the AppView refused"))
    connector.stats = stats  # type: ignore[attr-defined]
    return connector


def _instance_of(handle: str) -> str:
    if "@" not in handle:
        raise IngestionError(
            f"mastodon account {handle}: no server; give its handle as user@server, an "
            "api_base_url column, or CARERANK_MASTODON_BASE_URL"
        )
    return "https://" + handle.rsplit("@", 1)[1]


def checkpoint_root(landing: LandingZone, warehouse: Path) -> Path:
    """Where the checkpoints of API fetches are kept: in a local landing zone, beside the
    warehouse for one on S3."""
    return (
        Path(warehouse).parent / ".checkpoints"
        if landing.remote
        else landing.folder / ".checkpoints"
    )


def ingest_day(
    connector: Connector,
    accounts: list[BrandAccount],
    day: date,
    landing_dir: Path | str | LandingZone,
    on_page: Callable[[str, int], None] | None = None,
    max_quarantine_share: float | None = 0.01,
    checkpoint_dir: Path | None = None,
) -> IngestResult:
    """Fetch ``day`` for every account (resuming from checkpoints) and land it; more than
    ``max_quarantine_share`` of unreadable records lands nothing. ``checkpoint_dir``: a local
    folder for the checkpoints (default: in the landing zone, which must then be local)."""
    zone = LandingZone.of(landing_dir)
    if checkpoint_dir is None:
        if zone.remote:
            raise IngestionError(f"{zone.location}: API checkpoints need a local folder")
        checkpoint_dir = zone.folder / ".checkpoints"
    network = connector.network
    checkpoints = Path(checkpoint_dir) / network / day.isoformat()
    checkpoints.mkdir(parents=True, exist_ok=True)
    the_day = Day(day)
    stats: RequestStats = getattr(connector, "stats", RequestStats())
    result_pages: dict[str, int] = {}
    resumed = 0
    for account in accounts:
        for stream in connector.streams(account, the_day):
            stem = f"{_safe(account.account_id)}__{stream.name}"
            state_file = checkpoints / f"{stem}.state.json"
            state = json.loads(state_file.read_text()) if state_file.exists() else None
            if state is not None:
                resumed += 1
                if state["done"]:
                    result_pages[account.handle] = (
                        result_pages.get(account.handle, 0) + state["pages"]
                    )
                    continue
            cursor, pages = (state["cursor"], state["pages"]) if state else (None, 0)
            while True:
                records, next_cursor = stream.fetch(cursor)
                pages += 1
                _atomic_write(
                    checkpoints / f"{stem}__{pages:05d}.jsonl",
                    "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                )
                if next_cursor and next_cursor.startswith("http"):
                    next_cursor = strip_secret_params(next_cursor)
                _atomic_write(
                    state_file,
                    json.dumps(
                        {"cursor": next_cursor, "pages": pages, "done": next_cursor is None}
                    ),
                )
                if on_page:
                    on_page(account.handle, len(records))
                if next_cursor is None:
                    break
                cursor = next_cursor
            result_pages[account.handle] = result_pages.get(account.handle, 0) + pages
    combined = checkpoints / f"{network}-{day.isoformat()}.combined.jsonl"
    _combine(sorted(checkpoints.glob("*__*.jsonl")), combined)
    landing = land_file(
        combined,
        zone,
        fmt="jsonl",
        start=day,
        end=day,
        source=f"{network}-api",
        max_quarantine_share=max_quarantine_share,
    )
    shutil.rmtree(checkpoints, ignore_errors=True)
    return IngestResult(network, day, len(accounts), stats, landing, resumed, result_pages)


def _combine(parts: list[Path], out: Path) -> None:
    """Every record once: the same post on two pages or in two listings keeps its last copy."""
    seen: dict[tuple, str] = {}
    for part in parts:
        for line in part.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                seen[(record.get("network"), record.get("post_id"))] = line
    _atomic_write(out, "".join(line + "\n" for line in seen.values()))
