"""The right answer for every customer post and brand of a synthetic world, derived from what the
generator did rather than from the warehouse's SQL."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from carerank.synthetic.model import HORIZON, Interaction, Post

TRUTH_COLUMNS = (
    "network",
    "post_id",
    "brand_id",
    "is_addressed",
    "is_question",
    "status",
    "first_reply_post_id",
    "first_reply_at",
    "response_seconds",
)


def true_outcomes(interactions: list[Interaction], posts: list[Post]) -> list[dict]:
    """The matching rules applied to what the generator did: a customer post concerns every brand it
    addressed and every brand that replied to it; the first reply at or after the post counts
    if it came within the horizon; otherwise the post is pending while the horizon has not
    passed at the end of the last day the network's data holds, and unanswered after."""
    observed_until: dict[str, datetime] = defaultdict(lambda: datetime.min.replace(tzinfo=UTC))
    for post in posts:
        day_end = datetime.combine(
            post.created_at.date() + timedelta(days=1), datetime.min.time(), tzinfo=UTC
        )
        observed_until[post.network] = max(observed_until[post.network], day_end)
    emitted = {p.post_id for p in posts}
    rows = []
    for inter in interactions:
        post = inter.post
        if post.post_id not in emitted:
            continue
        for brand_id in sorted(inter.addressed | set(inter.replies)):
            valid = sorted(
                (t, pid) for t, pid, skewed in inter.replies.get(brand_id, []) if not skewed
            )
            answered = bool(valid) and valid[0][0] - post.created_at <= HORIZON
            if answered:
                status = "answered"
            elif post.created_at + HORIZON > observed_until[post.network]:
                status = "pending"
            else:
                status = "unanswered"
            rows.append(
                {
                    "network": post.network,
                    "post_id": post.post_id,
                    "brand_id": brand_id,
                    "is_addressed": brand_id in inter.addressed,
                    "is_question": any(m in post.text for m in "?？¿"),
                    "status": status,
                    "first_reply_post_id": valid[0][1] if answered else "",
                    "first_reply_at": valid[0][0].astimezone(UTC).isoformat() if answered else "",
                    "response_seconds": (valid[0][0] - post.created_at).total_seconds()
                    if answered
                    else "",
                }
            )
    return rows
