"""Connectors against a real HTTP server on loopback that paginates and injects faults."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from ingestion.connectors.base import BrandAccount
from ingestion.connectors.http import ApiError, reset_wait
from ingestion.connectors.ingest import build_connector, ingest_day
from orchestration.settings import api_access, load_settings
from tests.ingestion.fake_apis import FakeApis, Fault, Post

DAY = date(2024, 3, 5)
T0 = datetime(2024, 3, 5, tzinfo=UTC)
TOKEN = "secret-token"


def access(network: str):
    """The connector settings as a run reads them: from the environment the test set."""
    return api_access(load_settings().settings, network)


def landed(landing: Path, network: str) -> list[dict]:
    files = sorted((landing / "posts").glob(f"network={network}/*/*.parquet"))
    if not files:
        return []
    con = duckdb.connect()
    rel = con.execute(
        "select post_id, author_id, author_handle, created_at, text, in_reply_to_post_id, "
        "in_reply_to_author_id, mentioned_handles, _partition "
        "from read_parquet(?) order by post_id",
        [[str(f) for f in files]],
    )
    columns = [d[0] for d in rel.description]
    return [dict(zip(columns, row, strict=True)) for row in rel.fetchall()]


def twitter_world(api: FakeApis) -> set[str]:
    """Brand acme (id 100) and its day: mentions, replies (one after midnight of the day before's
    post), a post of the day before, a reply to an older post. Returns the ids of day D."""
    posts = [
        Post(
            "twitter",
            "1",
            "7",
            "alice",
            T0 - timedelta(days=3),
            "@acme old question?",
            mentions=["acme"],
        ),
        Post(
            "twitter",
            "2",
            "100",
            "acme",
            T0 + timedelta(hours=1),
            "@alice sorry!",
            "1",
            "7",
            ["alice"],
        ),
        Post(
            "twitter", "3", "8", "bob", T0 - timedelta(minutes=10), "@acme hi?", mentions=["acme"]
        ),
        Post(
            "twitter",
            "4",
            "100",
            "acme",
            T0 + timedelta(minutes=5),
            "@bob hello",
            "3",
            "8",
            ["bob"],
        ),
        Post(
            "twitter",
            "9",
            "99",
            "zed",
            T0 + timedelta(hours=3),
            "@acmehelp not us",
            mentions=["acmehelp"],
        ),
    ]
    for i in range(10):
        posts.append(
            Post(
                "twitter",
                f"1{i:02d}",
                f"2{i}",
                f"user{i}",
                T0 + timedelta(hours=2, minutes=i),
                f"@ACME question {i}?",
                mentions=["ACME"],
            )
        )
    api.posts.extend(posts)
    return {"2", "4"} | {f"1{i:02d}" for i in range(10)}


@pytest.fixture
def x_env(monkeypatch):
    def configure(api: FakeApis, **extra: str) -> None:
        monkeypatch.setenv("CARERANK_X_BEARER_TOKEN", TOKEN)
        monkeypatch.setenv("CARERANK_X_BASE_URL", api.url)
        monkeypatch.setenv("CARERANK_X_TIMEOUT", "0.5")
        monkeypatch.setenv("CARERANK_X_BACKOFF", "0.01")
        for key, value in extra.items():
            monkeypatch.setenv(key, value)

    return configure


ACME = BrandAccount("acme", "twitter", "100", "acme")
NO_SLEEP: list[float] = []


def test_x_day_lands_every_post_exactly_once(tmp_path, x_env):
    with FakeApis() as api:
        expected = twitter_world(api)
        x_env(api)
        result = ingest_day(
            build_connector("x", access("x"), sleep=NO_SLEEP.append), [ACME], DAY, tmp_path
        )
    rows = landed(tmp_path, "twitter")
    ids = [r["post_id"] for r in rows]
    assert sorted(ids) == sorted(expected)  # the day's posts, once each, despite overlapping pages
    reply = next(r for r in rows if r["post_id"] == "2")
    assert reply["in_reply_to_post_id"] == "1" and reply["in_reply_to_author_id"] == "7"
    assert reply["author_handle"] == "acme"
    assert list(next(r for r in rows if r["post_id"] == "100")["mentioned_handles"]) == ["acme"]
    assert result.stats.pages >= 4 and result.landing.landed == len(expected)
    assert not (tmp_path / ".checkpoints" / "twitter" / DAY.isoformat()).exists()


@pytest.mark.parametrize(
    "fault",
    [
        Fault(
            "status",
            code=429,
            headers={"x-rate-limit-reset": str(int(datetime.now().timestamp()) + 1)},
        ),
        Fault("status", code=429, headers={"Retry-After": "0"}),
        Fault("status", code=500),
        Fault("status", code=502),
        Fault("status", code=503),
        Fault("slow", seconds=1.0),
        Fault("drop"),
        Fault("malformed"),
    ],
    ids=["429-reset", "429-retry-after", "500", "502", "503", "timeout", "dropped", "malformed"],
)
def test_x_faults_are_retried_and_nothing_is_lost(tmp_path, x_env, fault):
    with FakeApis() as api:
        expected = twitter_world(api)
        api.faults = [
            fault,
            Fault(fault.kind, code=fault.code, headers=fault.headers, seconds=fault.seconds),
        ]
        x_env(api)
        waits: list[float] = []
        result = ingest_day(
            build_connector("x", access("x"), sleep=waits.append), [ACME], DAY, tmp_path
        )
    assert sorted(r["post_id"] for r in landed(tmp_path, "twitter")) == sorted(expected)
    assert result.stats.retries == 2 and len(waits) == 2
    assert all(w <= 2 for w in waits)
    if fault.code == 429:
        assert result.stats.rate_limit_waits == 2


def test_x_exhausted_retries_fail_with_one_clear_line_and_land_nothing(tmp_path, x_env):
    with FakeApis() as api:
        twitter_world(api)
        api.faults = [Fault("status", code=503) for _ in range(10)]
        x_env(api, CARERANK_X_MAX_ATTEMPTS="3")
        with pytest.raises(ApiError) as info:
            ingest_day(
                build_connector("x", access("x"), sleep=NO_SLEEP.append), [ACME], DAY, tmp_path
            )
        assert len(api.requests) == 3  # bounded
    message = str(info.value)
    assert "\n" not in message and "twitter" in message and "acme" in message and "503" in message
    assert "run the day again" in message
    assert landed(tmp_path, "twitter") == []


def test_expired_token_names_the_variable_and_never_the_token(tmp_path, x_env, caplog):
    caplog.set_level(logging.DEBUG)
    with FakeApis() as api:
        twitter_world(api)
        api.faults = [Fault("expired")]
        x_env(api)
        with pytest.raises(ApiError) as info:
            ingest_day(
                build_connector("x", access("x"), sleep=NO_SLEEP.append), [ACME], DAY, tmp_path
            )
    assert "CARERANK_X_BEARER_TOKEN" in str(info.value)
    assert TOKEN not in str(info.value) and TOKEN not in caplog.text


def test_missing_credential(monkeypatch):
    monkeypatch.delenv("CARERANK_X_BEARER_TOKEN", raising=False)
    with pytest.raises(ApiError, match="set the environment variable CARERANK_X_BEARER_TOKEN"):
        build_connector("x", access("x"))


def test_resume_after_a_kill_between_pages(tmp_path, x_env):
    with FakeApis() as api:
        expected = twitter_world(api)
        x_env(api, CARERANK_X_MAX_ATTEMPTS="1")
        # the third request dies: pages 1 and 2 are checkpointed, the run stops
        api.faults = [Fault("status", path="/nowhere")]
        original = api.route
        calls = {"n": 0}

        def dying_route(path, q, token):
            calls["n"] += 1
            if calls["n"] == 3:
                raise ConnectionAbortedError
            return original(path, q, token)

        api.route = dying_route
        with pytest.raises(Exception):  # noqa: B017 - the process "dies" however it dies
            ingest_day(
                build_connector("x", access("x"), sleep=NO_SLEEP.append), [ACME], DAY, tmp_path
            )
        state = tmp_path / ".checkpoints" / "twitter" / DAY.isoformat()
        assert len(list(state.glob("*__search__*.jsonl"))) == 2
        assert landed(tmp_path, "twitter") == []  # nothing half-written is visible
        api.route = original
        before = len(api.requests)
        result = ingest_day(
            build_connector("x", access("x"), sleep=NO_SLEEP.append), [ACME], DAY, tmp_path
        )
        resumed_requests = len(api.requests) - before
    assert result.resumed_streams == 1
    assert resumed_requests < result.stats.pages + 2
    first_request_after_resume = api.requests[before]
    assert "next_token=6" in first_request_after_resume
    assert sorted(r["post_id"] for r in landed(tmp_path, "twitter")) == sorted(expected)


def test_reingesting_a_day_drops_posts_deleted_at_the_source(tmp_path, x_env):
    with FakeApis() as api:
        expected = twitter_world(api)
        x_env(api)
        ingest_day(build_connector("x", access("x"), sleep=NO_SLEEP.append), [ACME], DAY, tmp_path)
        api.posts = [p for p in api.posts if p.post_id != "105"]
        ingest_day(build_connector("x", access("x"), sleep=NO_SLEEP.append), [ACME], DAY, tmp_path)
    assert sorted(r["post_id"] for r in landed(tmp_path, "twitter")) == sorted(expected - {"105"})


def test_bluesky_mentions_and_author_feed(tmp_path, monkeypatch):
    brand = "did:plc:brand"
    with FakeApis() as api:
        for i in range(7):
            api.posts.append(
                Post(
                    "bluesky",
                    f"at://did:plc:c{i}/app.bsky.feed.post/{i}",
                    f"did:plc:c{i}",
                    f"cust{i}.bsky.social",
                    T0 + timedelta(hours=i),
                    f"@acme.bsky.social help {i}?",
                    mentions=["acme.bsky.social"],
                )
            )
        for i in range(5):
            parent = f"at://did:plc:c{i}/app.bsky.feed.post/{i}"
            api.posts.append(
                Post(
                    "bluesky",
                    f"at://{brand}/app.bsky.feed.post/r{i}",
                    brand,
                    "acme.bsky.social",
                    T0 + timedelta(hours=i, minutes=30),
                    "on it",
                    parent,
                    f"did:plc:c{i}",
                )
            )
        api.posts.append(
            Post(
                "bluesky",
                f"at://{brand}/app.bsky.feed.post/old",
                brand,
                "acme.bsky.social",
                T0 - timedelta(days=2),
                "yesterday's news",
            )
        )
        monkeypatch.setenv("CARERANK_BLUESKY_BASE_URL", api.url)
        account = BrandAccount("acme", "bluesky", brand, "acme.bsky.social")
        ingest_day(
            build_connector("bluesky", access("bluesky"), sleep=NO_SLEEP.append),
            [account],
            DAY,
            tmp_path,
        )
    rows = {r["post_id"]: r for r in landed(tmp_path, "bluesky")}
    assert len(rows) == 12
    reply = rows[f"at://{brand}/app.bsky.feed.post/r0"]
    assert reply["in_reply_to_post_id"] == "at://did:plc:c0/app.bsky.feed.post/0"
    assert reply["in_reply_to_author_id"] == "did:plc:c0"
    assert list(rows["at://did:plc:c3/app.bsky.feed.post/3"]["mentioned_handles"]) == [
        "acme.bsky.social"
    ]


def test_mastodon_link_pagination_and_html(tmp_path, monkeypatch):
    with FakeApis(tokens={"tok-acme": "100"}) as api:
        api.posts.append(Post("mastodon", "500", "100", "acme", T0 - timedelta(days=1), "intro"))
        for i in range(5):
            api.posts.append(
                Post(
                    "mastodon",
                    f"6{i}",
                    f"7{i}",
                    f"user{i}@other.social",
                    T0 + timedelta(hours=i),
                    f"@acme help & fix {i}?",
                    mentions=["acme"],
                )
            )
            api.posts.append(
                Post(
                    "mastodon",
                    f"8{i}",
                    "100",
                    "acme",
                    T0 + timedelta(hours=i, minutes=9),
                    f"@user{i} sure",
                    f"6{i}",
                    f"7{i}",
                    [f"user{i}@other.social"],
                )
            )
        monkeypatch.setenv("CARERANK_MASTODON_TOKEN", "tok-acme")
        monkeypatch.setenv("CARERANK_MASTODON_BASE_URL", api.url)
        account = BrandAccount("acme", "mastodon", "100", "acme")
        ingest_day(
            build_connector("mastodon", access("mastodon"), sleep=NO_SLEEP.append),
            [account],
            DAY,
            tmp_path,
        )
    rows = {r["post_id"]: r for r in landed(tmp_path, "mastodon")}
    assert sorted(rows) == sorted([f"6{i}" for i in range(5)] + [f"8{i}" for i in range(5)])
    assert rows["60"]["text"] == "@acme help & fix 0?"
    assert rows["80"]["in_reply_to_post_id"] == "60"


def test_facebook_feed_comments_and_token_free_paging(tmp_path, monkeypatch):
    page = "4242"
    with FakeApis(tokens={"page-token": page}) as api:
        for i in range(4):
            post = Post(
                "facebook",
                f"{page}_{i}",
                f"9{i}",
                f"Visitor {i}",
                T0 + timedelta(hours=i),
                f"Where is my order {i}?",
                mentions=[page],
            )
            api.posts.append(post)
            for j in range(
                4
            ):  # comments: visitor, page, visitor, page (more than one page of them)
                author, handle = (page, "AcmePage") if j % 2 else (f"9{i}", f"Visitor {i}")
                api.posts.append(
                    Post(
                        "facebook",
                        f"{page}_{i}_c{j}",
                        author,
                        handle,
                        T0 + timedelta(hours=i, minutes=10 * (j + 1)),
                        f"comment {j}",
                        f"{page}_{i}" if j == 0 else f"{page}_{i}_c{j - 1}",
                    )
                )
        api.tokens["page-token"] = "*"  # comments' own endpoint checks the token only
        monkeypatch.setenv("CARERANK_FACEBOOK_PAGE_TOKEN", "page-token")
        monkeypatch.setenv("CARERANK_FACEBOOK_BASE_URL", api.url)
        account = BrandAccount("acme", "facebook", page, "AcmePage")
        ingest_day(
            build_connector("facebook", access("facebook"), sleep=NO_SLEEP.append),
            [account],
            DAY,
            tmp_path,
        )
        assert not any("access_token" in r for r in api.requests)  # token only in the header
    rows = {r["post_id"]: r for r in landed(tmp_path, "facebook")}
    assert len(rows) == 20
    answer = rows[f"{page}_0_c1"]
    assert answer["author_handle"] == "AcmePage"
    assert (
        answer["in_reply_to_post_id"] == f"{page}_0_c0" and answer["in_reply_to_author_id"] == "90"
    )
    assert list(rows[f"{page}_0"]["mentioned_handles"]) == ["acmepage"]
    assert rows[f"{page}_0_c0"]["in_reply_to_post_id"] == f"{page}_0"


def test_reset_headers_of_each_network():
    now = 1_700_000_000.0
    assert reset_wait({"retry-after": "7"}, now) == 7
    assert reset_wait({"x-rate-limit-reset": str(int(now) + 30)}, now) == 30
    assert reset_wait({"x-ratelimit-reset": "2023-11-14T22:13:40Z"}, now) == pytest.approx(
        20, abs=1
    )
    assert reset_wait({"ratelimit-reset": "12"}, now) == 12
    assert reset_wait({}, now) is None
