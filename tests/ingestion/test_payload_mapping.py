"""Payload -> canonical record, on payload shapes as the networks document them."""

from __future__ import annotations

from ingestion.connectors import bluesky, facebook, mastodon, x
from ingestion.connectors.base import BrandAccount, parse_time

# X API v2 GET /2/tweets/search/recent (fields and expansions as requested by the connector)
X_PAGE = {
    "data": [
        {
            "author_id": "2244994945",
            "conversation_id": "1394698831329505281",
            "created_at": "2021-05-18T17:45:00.000Z",
            "id": "1394699210351636480",
            "in_reply_to_user_id": "783214",
            "lang": "en",
            "referenced_tweets": [
                {"type": "quoted", "id": "1394698831329505200"},
                {"type": "replied_to", "id": "1394698831329505281"},
            ],
            "entities": {
                "mentions": [{"start": 0, "end": 8, "username": "Twitter", "id": "783214"}]
            },
            "text": "@Twitter We're on it.",
        }
    ],
    "includes": {"users": [{"id": "2244994945", "name": "Twitter Dev", "username": "TwitterDev"}]},
    "meta": {
        "newest_id": "1394699210351636480",
        "result_count": 1,
        "next_token": "b26v89c19zqg8o3f",
    },
}


def test_x_search_page():
    (record,) = x.map_search_page(X_PAGE)
    assert record["network"] == "twitter"
    assert record["author_handle"] == "TwitterDev"
    assert record["in_reply_to_post_id"] == "1394698831329505281"  # replied_to, not quoted
    assert record["in_reply_to_author_id"] == "783214"
    assert record["mentioned_handles"] == ["Twitter"]
    assert x.map_search_page({"meta": {"result_count": 0}}) == []


# Mastodon Status entity (GET /api/v1/accounts/:id/statuses), trimmed to what the mapping reads
MASTODON_STATUS = {
    "id": "103270115826048975",
    "created_at": "2019-12-08T03:48:33.901Z",
    "in_reply_to_id": "103270115826038975",
    "in_reply_to_account_id": "14715",
    "language": "en",
    "content": '<p><span class="h-card"><a href="https://x.social/@mal" class="u-url mention">'
    "@<span>mal</span></a></span> Fixed &amp; shipped.<br>Thanks!</p><p>Second para</p>",
    "account": {"id": "1", "username": "Gargron", "acct": "Gargron"},
    "mentions": [{"id": "14715", "username": "mal", "acct": "mal@x.social"}],
}


def test_mastodon_status():
    record = mastodon.map_status(MASTODON_STATUS)
    assert record["text"] == "@mal Fixed & shipped.\nThanks!\n\nSecond para"
    assert record["in_reply_to_post_id"] == "103270115826038975"
    assert record["mentioned_handles"] == ["mal@x.social"]
    assert record["author_handle"] == "Gargron"
    link = (
        '<https://m.social/api/v1/notifications?max_id=34975535>; rel="next", '
        '<https://m.social/api/v1/notifications?min_id=34975861>; rel="prev"'
    )
    assert mastodon.next_max_id(link) == "34975535"
    assert mastodon.next_max_id(None) is None


# Bluesky app.bsky.feed.defs#postView
BSKY_POST = {
    "uri": "at://did:plc:u5cwb2mwiv2bfq53cjufe6yn/app.bsky.feed.post/3k43tv4rft22g",
    "cid": "bafyreiabc",
    "author": {"did": "did:plc:u5cwb2mwiv2bfq53cjufe6yn", "handle": "cust.bsky.social"},
    "record": {
        "$type": "app.bsky.feed.post",
        "text": "@acme.bsky.social my order?",
        "createdAt": "2023-08-07T05:49:40.501Z",
        "langs": ["en"],
        "reply": {
            "root": {"uri": "at://did:plc:brand/app.bsky.feed.post/root", "cid": "x"},
            "parent": {"uri": "at://did:plc:brand/app.bsky.feed.post/parent", "cid": "y"},
        },
        "facets": [
            {
                "features": [{"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:brand"}],
                "index": {"byteStart": 0, "byteEnd": 17},
            }
        ],
    },
    "indexedAt": "2023-08-07T05:49:40.501Z",
}


def test_bluesky_post_view():
    record = bluesky.map_post(BSKY_POST)
    assert record["post_id"].startswith("at://")
    assert record["in_reply_to_post_id"] == "at://did:plc:brand/app.bsky.feed.post/parent"
    assert record["in_reply_to_author_id"] == "did:plc:brand"
    assert record["conversation_id"] == "at://did:plc:brand/app.bsky.feed.post/root"
    assert record["raw"] == {"mentioned_dids": ["did:plc:brand"]}
    assert record["lang"] == "en"


# Graph API GET /{page-id}/feed?fields=id,message,created_time,from,comments{...}
GRAPH_POST = {
    "id": "123_456",
    "message": "Where is my parcel?",
    "created_time": "2024-03-05T10:00:00+0000",
    "from": {"id": "999", "name": "A Visitor"},
    "comments": {
        "data": [
            {
                "id": "456_1",
                "message": "Sorry!",
                "created_time": "2024-03-05T10:05:00+0000",
                "from": {"id": "123", "name": "Acme"},
            },
            {
                "id": "456_2",
                "message": "Still nothing",
                "created_time": "2024-03-05T11:00:00+0000",
                "from": {"id": "999", "name": "A Visitor"},
                "parent": {"id": "456_1"},
            },
        ],
        "paging": {"cursors": {"before": "a", "after": "b"}},
    },
}


def test_graph_post_and_comments():
    page = BrandAccount("acme", "facebook", "123", "acme")
    post, answer, follow_up = facebook.map_post(GRAPH_POST, page)
    assert post["mentioned_handles"] == ["acme"] and post["in_reply_to_post_id"] is None
    assert answer["author_handle"] == "acme" and answer["mentioned_handles"] == []
    assert answer["in_reply_to_post_id"] == "123_456" and answer["in_reply_to_author_id"] == "999"
    assert (
        follow_up["in_reply_to_post_id"] == "456_1" and follow_up["in_reply_to_author_id"] == "123"
    )
    assert parse_time(GRAPH_POST["created_time"]).utcoffset().total_seconds() == 0
