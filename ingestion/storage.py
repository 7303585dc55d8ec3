"""Where the landing zone lives: a local folder, or an ``s3://bucket/prefix`` URL on S3 or any
S3-compatible store, reached through fsspec (s3fs), so that landing, DuckDB and Spark share one
store.

A local folder is written as it always was: a temporary file renamed into place. S3 has no
rename, but a PUT is atomic per object: each file is written whole to a local temporary file and
then uploaded in one request (s3fs ``put_file``; a file large enough to need a multipart upload
is completed only after its last part and aborted on failure), so a reader never sees half an
object and an interrupted upload leaves the object as it was.

DuckDB reads the S3 landing zone through the same fsspec filesystem, registered on each
connection (``LandingZone.register``): its own S3 support lives in the httpfs extension, which is
downloaded at run time, and a run downloads nothing.

Credentials come from the standard AWS chain that botocore reads (``AWS_ACCESS_KEY_ID`` and
``AWS_SECRET_ACCESS_KEY``, ``AWS_PROFILE``, an instance role, ...); only the endpoint of an
S3-compatible server is a carerank setting. Errors name the URL and the endpoint, never a key.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingestion.errors import IngestionError

if TYPE_CHECKING:
    import duckdb
    from fsspec import AbstractFileSystem

S3_SCHEME = "s3://"

# botocore's standard retry mode (transient errors and throttling, with jittered backoff) with
# fewer attempts than its default, so that an endpoint that is down is reported in seconds.
S3_CONFIG = {"connect_timeout": 10, "retries": {"max_attempts": 3, "mode": "standard"}}
# Part size of a multipart upload, used for files of at least two parts (s3fs's default): a
# smaller file goes in one PUT.
UPLOAD_PART_SIZE = 50 * 2**20


def is_remote(location: str | Path) -> bool:
    """An object-store URL (``s3://``) rather than a local folder."""
    return str(location).startswith(S3_SCHEME)


@functools.cache
def s3_filesystem(endpoint_url: str | None) -> AbstractFileSystem:
    """One s3fs filesystem per endpoint for this process. The listings cache is off: another
    process (a second run, Spark) may have written since the last listing."""
    import fsspec

    return fsspec.filesystem(
        "s3",
        use_listings_cache=False,
        client_kwargs={"endpoint_url": endpoint_url} if endpoint_url else {},
        config_kwargs=S3_CONFIG,
    )


@dataclass(frozen=True)
class LandingZone:
    """The landing zone's location (a folder, or ``s3://bucket/prefix``) and, for S3, the
    endpoint of an S3-compatible server (None: AWS)."""

    location: str
    endpoint_url: str | None = None

    @classmethod
    def of(cls, landing: LandingZone | str | Path, endpoint_url: str | None = None) -> LandingZone:
        """``landing`` as a LandingZone (a folder or URL given alone is reached as set)."""
        if isinstance(landing, LandingZone):
            return landing
        text = str(landing)
        return cls(text.rstrip("/") if is_remote(text) else text, endpoint_url)

    @property
    def remote(self) -> bool:
        return is_remote(self.location)

    @property
    def folder(self) -> Path:
        """The local folder of a local landing zone."""
        return Path(self.location)

    @property
    def bucket(self) -> str:
        return self.location.removeprefix(S3_SCHEME).split("/", 1)[0]

    def url(self, relative: str) -> str:
        """The full path of ``relative`` (a ``/``-separated path inside the landing zone), as
        DuckDB and fsspec read it."""
        if self.remote:
            return f"{self.location}/{relative}"
        return str(self.folder / relative)

    @property
    def fs(self) -> AbstractFileSystem:
        """The fsspec filesystem of an S3 landing zone."""
        return s3_filesystem(self.endpoint_url)

    def describe(self) -> str:
        """The landing zone as an error names it: its URL, and the endpoint when not AWS's."""
        return f"{self.location} at {self.endpoint_url}" if self.endpoint_url else self.location

    # The operations below are the S3 side of the landing; the local side is plain pathlib.

    def glob(self, pattern: str) -> list[str]:
        """Objects matching ``pattern`` (relative), as full ``s3://`` URLs, sorted."""
        with self.errors("list"):
            return sorted(S3_SCHEME + key for key in self.fs.glob(self.url(pattern)))

    def exists(self, relative: str) -> bool:
        with self.errors("read"):
            return self.fs.exists(self.url(relative))

    def put(self, local: Path, relative: str) -> None:
        """Upload ``local`` whole as ``relative``: the object appears complete or not at all."""
        with self.errors("write"):
            self.fs.put_file(str(local), self.url(relative), chunksize=UPLOAD_PART_SIZE)

    def remove(self, relative: str) -> None:
        with self.errors("remove"):
            if self.fs.exists(self.url(relative)):
                self.fs.rm_file(self.url(relative))

    def register(self, con: duckdb.DuckDBPyConnection) -> None:
        """Let ``con`` read the landing zone: on S3 its fsspec filesystem, and no extension
        download instead of a read DuckDB cannot do (a local landing zone needs nothing)."""
        if not self.remote:
            return
        con.execute("set autoinstall_known_extensions = false")
        if not con.filesystem_is_registered("s3"):
            con.register_filesystem(self.fs)

    def dbt_filesystems(self) -> list[dict[str, Any]]:
        """The same filesystem for dbt-duckdb's connections (its profile's ``filesystems``)."""
        if not self.remote:
            return []
        client = {"endpoint_url": self.endpoint_url} if self.endpoint_url else {}
        return [
            {
                "fs": "s3",
                "use_listings_cache": False,
                "client_kwargs": client,
                "config_kwargs": S3_CONFIG,
            }
        ]

    def check_reachable(self) -> None:
        """Fail with one line when the bucket cannot be reached (endpoint down, no bucket, no
        credentials, access denied), before a run writes anything."""
        if not self.remote:
            return
        with self.errors("reach"):
            self.fs.call_s3("head_bucket", Bucket=self.bucket)

    @contextmanager
    def errors(self, action: str) -> Iterator[None]:
        """Turn the store's exceptions into one IngestionError line that names the landing zone
        and the endpoint; the exception text of botocore carries no credential."""
        try:
            yield
        except IngestionError:
            raise
        except Exception as exc:
            raise IngestionError(f"landing zone {self.describe()}: {explain(exc, self)}") from None


def explain(exc: BaseException, zone: LandingZone) -> str:
    """What went wrong with the store, in words a person can act on."""
    from botocore.exceptions import (
        ConnectTimeoutError,
        EndpointConnectionError,
        NoCredentialsError,
        PartialCredentialsError,
    )

    if isinstance(exc, EndpointConnectionError | ConnectTimeoutError):
        return (
            f"cannot reach the S3 endpoint {zone.endpoint_url or 'of AWS'} "
            "(is it running? setting s3_endpoint_url)"
        )
    if isinstance(exc, NoCredentialsError | PartialCredentialsError):
        return "no S3 credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)"
    if isinstance(exc, FileNotFoundError):
        return f"bucket {zone.bucket!r} does not exist (or the object was not found)"
    if isinstance(exc, PermissionError):
        return f"access denied to bucket {zone.bucket!r} (check the credentials' permissions)"
    message = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {message}"
