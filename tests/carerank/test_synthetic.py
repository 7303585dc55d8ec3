"""The generator lays every trap and is reproducible."""

from carerank.synthetic import generate_world


def test_same_seed_same_world():
    a = generate_world(n_brands=6, n_posts=300, n_days=10, seed=5)
    b = generate_world(n_brands=6, n_posts=300, n_days=10, seed=5)
    assert a.posts == b.posts and a.truth == b.truth


def test_traps_are_present():
    world = generate_world(n_brands=10, n_posts=3000, n_days=20, seed=1)
    truth = world.truth
    statuses = {t["status"] for t in truth}
    assert statuses == {"answered", "unanswered", "pending"}
    assert any(not t["is_addressed"] for t in truth)  # tied to a brand by its reply alone
    per_post: dict[str, int] = {}
    for t in truth:
        per_post[t["post_id"]] = per_post.get(t["post_id"], 0) + 1
    assert max(per_post.values()) >= 2  # posts concerning two brands
    ids = [p["post_id"] for p in world.posts]
    assert len(ids) > len(set(ids))  # duplicated records
    handles = {a.handle.lower() for b in world.brands for accs in b.accounts.values() for a in accs}
    assert any(h != g and g.startswith(h) for h in handles for g in handles)  # prefixes
    offsets = {p["created_at"][-6:] for p in world.posts}
    assert len(offsets) > 3  # many UTC offsets
