"""A real HTTP server on loopback that speaks the subset of the X, Graph, Mastodon and Bluesky
APIs the connectors use: it checks auth, paginates (small pages, optionally overlapping so that
the same item appears on two pages) and injects faults on demand."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit


@dataclass
class Post:
    network: str
    post_id: str
    author_id: str
    handle: str
    created_at: datetime
    text: str
    reply_to: str | None = None
    reply_to_author: str | None = None
    mentions: list[str] = field(default_factory=list)


@dataclass
class Fault:
    """Applied to the next request whose path contains ``path``: kind is status (with code and
    headers), slow (sleep seconds), drop (close the connection mid-body), malformed, expired."""

    kind: str
    path: str = ""
    code: int = 500
    headers: dict = field(default_factory=dict)
    seconds: float = 0.0
    body: dict | None = None


def iso(stamp: datetime) -> str:
    return stamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class FakeApis:
    def __init__(
        self, tokens: dict[str, str] | None = None, page_size: int = 3, overlap: bool = True
    ):
        self.posts: list[Post] = []
        self.tokens = tokens or {"secret-token": "*"}  # token -> account id it may read ("*": any)
        self.page_size, self.overlap = page_size, overlap
        self.faults: list[Fault] = []
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeApis:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ---- data selection -------------------------------------------------------------------
    def _page(self, items: list, cursor: str | None) -> tuple[list, str | None]:
        start = int(cursor or 0)
        end = start + self.page_size
        page = items[start:end]
        if self.overlap and start > 0:
            page = [items[start - 1], *page]  # the same item on two pages
        return page, str(end) if end < len(items) else None

    def _between(self, network: str, since: datetime, until: datetime) -> list[Post]:
        return sorted(
            (p for p in self.posts if p.network == network and since <= p.created_at < until),
            key=lambda p: (p.created_at, p.post_id),
            reverse=True,
        )

    def by_id(self, post_id: str) -> Post | None:
        return next((p for p in self.posts if p.post_id == post_id), None)

    # ---- HTTP -----------------------------------------------------------------------------
    def _handler(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                with api.lock:
                    api.requests.append(self.path)
                    fault = next((f for f in api.faults if f.path in parts.path), None)
                    if fault:
                        api.faults.remove(fault)
                if fault and self._apply(fault):
                    return
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
                try:
                    status, body, headers = api.route(parts.path, query, token)
                except PermissionError:
                    status, body, headers = 401, {"error": "unauthorised"}, {}
                self._send(status, json.dumps(body).encode(), headers)

            def _apply(self, fault: Fault) -> bool:
                if fault.kind == "slow":
                    time.sleep(fault.seconds)
                    return False
                if fault.kind == "status":
                    body = json.dumps(fault.body or {"error": "fault"}).encode()
                    self._send(fault.code, body, fault.headers)
                    return True
                if fault.kind == "expired":
                    self._send(401, b'{"error": "token expired"}', {})
                    return True
                if fault.kind == "malformed":
                    self._send(200, b'{"data": [', {})
                    return True
                if fault.kind == "drop":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "1000")
                    self.end_headers()
                    self.wfile.write(b'{"data": [')
                    self.wfile.flush()
                    self.connection.shutdown(2)
                    return True
                return False

            def _send(self, status: int, body: bytes, headers: dict) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

        return Handler

    def _auth(self, token: str, account: str | None = None) -> None:
        allowed = self.tokens.get(token)
        if allowed is None or (account and allowed not in ("*", account)):
            raise PermissionError

    def route(self, path: str, q: dict, token: str) -> tuple[int, object, dict]:
        if path == "/2/tweets/search/recent":
            self._auth(token)
            return self._x_search(q)
        if path == "/xrpc/app.bsky.feed.searchPosts":
            return self._bsky_search(q)
        if path == "/xrpc/app.bsky.feed.getAuthorFeed":
            return self._bsky_author(q)
        if path == "/api/v1/notifications":
            return self._mastodon_notifications(q, token)
        if path.startswith("/api/v1/accounts/") and path.endswith("/statuses"):
            account = path.split("/")[4]
            self._auth(token, account)
            return self._mastodon_statuses(account, q)
        if path.endswith("/feed") or path.endswith("/tagged"):
            return self._graph_edge(path, q, token)
        if "/comments" in path:
            return self._graph_comments(path, q, token)
        return 404, {"error": f"no route {path}"}, {}

    # ---- X ----------------------------------------------------------------------------------
    def _x_search(self, q: dict):
        handle = q["query"].split("@", 1)[1].split(" ", 1)[0].lower()
        since = datetime.fromisoformat(q["start_time"].replace("Z", "+00:00"))
        until = datetime.fromisoformat(q["end_time"].replace("Z", "+00:00"))
        brand_ids = {p.author_id for p in self.posts if p.handle.lower() == handle}
        hits = [
            p
            for p in self._between("twitter", since, until)
            if handle in [m.lower() for m in p.mentions]
            or p.handle.lower() == handle
            or p.reply_to_author in brand_ids
        ]
        page, nxt = self._page(hits, q.get("next_token"))
        data = [
            {
                "id": p.post_id,
                "author_id": p.author_id,
                "created_at": iso(p.created_at),
                "text": p.text,
                "conversation_id": p.post_id,
                "in_reply_to_user_id": p.reply_to_author,
                "referenced_tweets": [{"type": "replied_to", "id": p.reply_to}]
                if p.reply_to
                else [],
                "entities": {"mentions": [{"username": m} for m in p.mentions]},
                "lang": "en",
            }
            for p in page
        ]
        users = [{"id": p.author_id, "username": p.handle} for p in page]
        meta = {"result_count": len(data), **({"next_token": nxt} if nxt else {})}
        return 200, {"data": data, "includes": {"users": users}, "meta": meta}, {}

    # ---- Bluesky ----------------------------------------------------------------------------
    def _bsky_post(self, p: Post) -> dict:
        record = {"text": p.text, "createdAt": iso(p.created_at), "langs": ["en"]}
        if p.reply_to:
            record["reply"] = {"parent": {"uri": p.reply_to}, "root": {"uri": p.reply_to}}
        return {
            "uri": p.post_id,
            "author": {"did": p.author_id, "handle": p.handle},
            "record": record,
            "indexedAt": iso(p.created_at),
        }

    def _bsky_search(self, q: dict):
        since = datetime.fromisoformat(q["since"].replace("Z", "+00:00"))
        until = datetime.fromisoformat(q["until"].replace("Z", "+00:00"))
        hits = [
            p
            for p in self._between("bluesky", since, until)
            if q["mentions"].lower() in [m.lower() for m in p.mentions]
        ]
        page, nxt = self._page(hits, q.get("cursor"))
        return (
            200,
            {"posts": [self._bsky_post(p) for p in page], **({"cursor": nxt} if nxt else {})},
            {},
        )

    def _bsky_author(self, q: dict):
        mine = self._between(
            "bluesky", datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
        )
        mine = [p for p in mine if p.handle.lower() == q["actor"].lower()]
        page, nxt = self._page(mine, q.get("cursor"))
        return (
            200,
            {
                "feed": [{"post": self._bsky_post(p)} for p in page],
                **({"cursor": nxt} if nxt else {}),
            },
            {},
        )

    # ---- Mastodon ---------------------------------------------------------------------------
    def _status(self, p: Post) -> dict:
        return {
            "id": p.post_id,
            "created_at": iso(p.created_at),
            "in_reply_to_id": p.reply_to,
            "in_reply_to_account_id": p.reply_to_author,
            "content": "<p>" + p.text.replace("&", "&amp;").replace("\n", "<br>") + "</p>",
            "account": {"id": p.author_id, "acct": p.handle},
            "mentions": [{"acct": m} for m in p.mentions],
            "language": "en",
        }

    def _mastodon_page(self, items: list[Post], q: dict, path: str):
        ids = [p.post_id for p in items]
        start = ids.index(q["max_id"]) + 1 if q.get("max_id") in ids else 0
        page = items[start : start + self.page_size]
        headers = {}
        if start + self.page_size < len(items) and page:
            link = f"{self.url}{path}?{urlencode({'max_id': page[-1].post_id})}"
            headers["Link"] = f'<{link}>; rel="next"'
        return page, headers

    def _mastodon_notifications(self, q: dict, token: str):
        account = self.tokens.get(token)
        if account is None:
            raise PermissionError
        handle = next(p.handle for p in self.posts if p.author_id == account)
        every = self._between(
            "mastodon", datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
        )
        hits = [p for p in every if handle.lower() in [m.lower() for m in p.mentions]]
        page, headers = self._mastodon_page(hits, q, "/api/v1/notifications")
        return (
            200,
            [{"id": f"n{p.post_id}", "type": "mention", "status": self._status(p)} for p in page],
            headers,
        )

    def _mastodon_statuses(self, account: str, q: dict):
        every = self._between(
            "mastodon", datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
        )
        mine = [p for p in every if p.author_id == account]
        page, headers = self._mastodon_page(mine, q, f"/api/v1/accounts/{account}/statuses")
        return 200, [self._status(p) for p in page], headers

    # ---- Graph API --------------------------------------------------------------------------
    def _graph_item(self, p: Post) -> dict:
        item = {
            "id": p.post_id,
            "message": p.text,
            "created_time": p.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000"),
            "from": {"id": p.author_id, "name": p.handle},
        }
        if p.reply_to and self.by_id(p.reply_to).reply_to is not None:
            item["parent"] = {"id": p.reply_to}
        return item

    def _comments_of(self, post_id: str) -> list[Post]:
        out, frontier = [], {post_id}
        for p in sorted(
            (p for p in self.posts if p.network == "facebook"), key=lambda p: p.created_at
        ):
            if p.reply_to in frontier:
                out.append(p)
                frontier.add(p.post_id)
        return out

    def _graph_edge(self, path: str, q: dict, token: str):
        page_id = path.split("/")[2]
        self._auth(token, page_id)
        since = datetime.fromtimestamp(int(q["since"]), UTC)
        until = datetime.fromtimestamp(int(q["until"]), UTC)
        top = [
            p
            for p in self._between("facebook", since, until)
            if p.reply_to is None
            and (
                (path.endswith("/feed") and page_id in p.mentions)
                or (path.endswith("/tagged") and f"tag:{page_id}" in p.mentions)
            )
        ]
        page, nxt = self._page(top, q.get("after"))
        data = []
        for p in page:
            comments = self._comments_of(p.post_id)
            first = comments[: self.page_size]
            item = self._graph_item(p)
            paging = {}
            if len(comments) > self.page_size:
                paging["next"] = f"{self.url}/v21.0/{p.post_id}/comments?" + urlencode(
                    {"after": self.page_size, "access_token": token}
                )
            item["comments"] = {"data": [self._graph_item(c) for c in first], "paging": paging}
            data.append(item)
        paging = {}
        if nxt:
            paging["next"] = f"{self.url}{path}?" + urlencode(
                {**q, "after": nxt, "access_token": token}
            )
        return 200, {"data": data, "paging": paging}, {}

    def _graph_comments(self, path: str, q: dict, token: str):
        self._auth(token)
        post_id = path.split("/")[2]
        comments = self._comments_of(post_id)
        start = int(q.get("after", 0))
        page = comments[start : start + self.page_size]
        paging = {}
        if start + self.page_size < len(comments):
            paging["next"] = f"{self.url}{path}?" + urlencode(
                {"after": start + self.page_size, "access_token": token}
            )
        return 200, {"data": [self._graph_item(c) for c in page], "paging": paging}, {}
