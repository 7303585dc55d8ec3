"""The one HTTP layer of every connector: timeouts, bounded retries with exponential backoff and
jitter (tenacity) on 429, 5xx, timeouts, dropped connections and malformed JSON, waits that honour
``Retry-After`` and each network's rate-limit reset header, a request budget per network, and
errors that name the network, the account, the status and what to do, without any token.
"""

from __future__ import annotations

import email.utils
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

# httpx logs every request URL at INFO; some APIs put tokens into URLs (Graph API paging links).
logging.getLogger("httpx").setLevel(logging.WARNING)

RESET_HEADERS = ("x-rate-limit-reset", "x-ratelimit-reset", "ratelimit-reset")
GRAPH_RATE_LIMIT_CODES = {4, 17, 32, 613}
SECRET_PARAMS = {"access_token", "token", "bearer", "key", "api_key", "client_secret"}


class ApiError(Exception):
    """A failure that retrying cannot fix, or retries exhausted: one line for the operator."""

    def __init__(self, network: str, account: str, status: str, hint: str):
        self.network, self.account, self.status, self.hint = network, account, status, hint
        super().__init__(f"{network} account {account}: {status}; {hint}")


class MissingCredentialError(ApiError):
    def __init__(self, network: str, variable: str):
        super().__init__(network, "-", "no credential", f"set the environment variable {variable}")


class _Retryable(Exception):
    def __init__(self, status: str, wait: float | None = None, rate_limited: bool = False):
        super().__init__(status)
        self.status, self.wait, self.rate_limited = status, wait, rate_limited


@dataclass
class RequestStats:
    """What a connector's requests cost, reported as Dagster metadata."""

    requests: int = 0
    pages: int = 0
    retries: int = 0
    rate_limit_waits: int = 0
    waited_seconds: float = 0.0


def redact_url(url: str) -> str:
    """The URL without secret query parameters, for messages and logs."""
    parts = urlsplit(url)
    query = [(k, "***" if k.lower() in SECRET_PARAMS else v) for k, v in parse_qsl(parts.query)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def strip_secret_params(url: str) -> str:
    """Drop tokens that an API put into a paging link: ours travel in the Authorization header."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k.lower() not in SECRET_PARAMS]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def reset_wait(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait before the next request, from Retry-After or a rate-limit reset header.

    ``Retry-After`` is seconds or an HTTP date; X sends the reset as epoch seconds, Mastodon as an
    ISO timestamp, Bluesky (IETF draft) as epoch seconds or seconds from now."""
    now = time.time() if now is None else now
    value = headers.get("retry-after")
    if value:
        if re.fullmatch(r"\s*\d+(\.\d+)?\s*", value):
            return max(0.0, float(value))
        with_date = email.utils.parsedate_to_datetime(value)
        return max(0.0, with_date.timestamp() - now) if with_date else None
    for name in RESET_HEADERS:
        value = headers.get(name)
        if not value:
            continue
        value = value.strip()
        if re.fullmatch(r"\d+(\.\d+)?", value):
            number = float(value)
            return max(0.0, number - now) if number > 1e9 else number
        try:
            stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            continue
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=UTC)
        return max(0.0, stamp.timestamp() - now)
    return None


class ApiClient:
    """GET JSON from one network's API for one account, with the behaviour described above."""

    def __init__(
        self,
        network: str,
        base_url: str,
        *,
        account: str = "-",
        token: str | None = None,
        credential_hint: str = "check the token",
        timeout: float = 10.0,
        max_attempts: int = 5,
        budget: int = 10_000,
        backoff_initial: float = 0.5,
        backoff_max: float = 60.0,
        max_rate_limit_wait: float = 900.0,
        sleep: Callable[[float], None] = time.sleep,
        stats: RequestStats | None = None,
        transport: httpx.BaseTransport | None = None,
    ):
        self.network, self.account = network, account
        self.credential_hint = credential_hint
        self.max_attempts, self.budget = max_attempts, budget
        self.backoff_initial, self.backoff_max = backoff_initial, backoff_max
        self.max_rate_limit_wait = max_rate_limit_wait
        self.sleep = sleep
        self.stats = stats or RequestStats()
        headers = {"User-Agent": "carerank (+https://github.com/carerank)"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers=headers,
            timeout=httpx.Timeout(timeout),
            transport=transport,
            follow_redirects=True,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, params: Mapping[str, Any] | None = None) -> httpx.Response:
        """One logical GET (retried as needed); the response has valid JSON in ``.json()``."""
        url = strip_secret_params(url) if url.startswith("http") else url
        retrying = Retrying(
            stop=stop_after_attempt(self.max_attempts),
            wait=self._wait,
            retry=retry_if_exception_type(_Retryable),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            response = retrying(self._attempt, url, params)
        except _Retryable as exc:
            raise ApiError(
                self.network,
                self.account,
                f"{exc.status} after {self.max_attempts} attempts",
                "the API is failing or throttling; run the day again later (it resumes where "
                "it stopped)",
            ) from None
        self.stats.pages += 1
        return response

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.get(url, params).json()

    def _attempt(self, url: str, params: Mapping[str, Any] | None) -> httpx.Response:
        if self.stats.requests >= self.budget:
            raise ApiError(
                self.network,
                self.account,
                f"request budget of {self.budget} spent",
                "raise the budget (CARERANK_<NETWORK>_BUDGET) or ingest fewer accounts",
            )
        self.stats.requests += 1
        try:
            response = self._http.get(url, params=params)
        except httpx.TimeoutException:
            raise _Retryable("timeout") from None
        except httpx.TransportError as exc:
            raise _Retryable(f"connection error ({type(exc).__name__})") from None
        status = response.status_code
        if status in (401, 403) and not self._graph_rate_limit(response):
            raise ApiError(
                self.network, self.account, f"HTTP {status} (unauthorised)", self.credential_hint
            )
        if status == 429 or self._graph_rate_limit(response):
            raise _Retryable(f"HTTP {status} (rate limited)", reset_wait(response.headers), True)
        if status >= 500:
            raise _Retryable(f"HTTP {status}", reset_wait(response.headers))
        if status >= 400:
            raise ApiError(
                self.network,
                self.account,
                f"HTTP {status} for {redact_url(str(response.url))}",
                "the request was refused; check the account id/handle in the accounts file",
            )
        try:
            response.json()
        except ValueError:
            raise _Retryable("malformed JSON") from None
        return response

    @staticmethod
    def _graph_rate_limit(response: httpx.Response) -> bool:
        """Graph API throttling: HTTP 400/403 with error code 4, 17, 32 or 613 in the body."""
        if response.status_code not in (400, 403):
            return False
        try:
            code = response.json().get("error", {}).get("code")
        except (ValueError, AttributeError):
            return False
        return code in GRAPH_RATE_LIMIT_CODES

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Retryable) and exc.rate_limited:
            self.stats.rate_limit_waits += 1
        if isinstance(exc, _Retryable) and exc.wait is not None:
            return min(exc.wait, self.max_rate_limit_wait)
        backoff = wait_exponential_jitter(multiplier=self.backoff_initial, max=self.backoff_max)
        return backoff(state)

    def _sleep(self, seconds: float) -> None:
        self.stats.retries += 1
        self.stats.waited_seconds += seconds
        self.sleep(seconds)
