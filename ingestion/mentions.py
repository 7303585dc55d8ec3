"""@mention extraction, shared by the file readers (as DuckDB SQL) and the API connectors (Python).

A mention is an exact ``@handle`` token: the character before ``@`` must not be part of a handle
(so ``mail@acme`` is no mention) and the handle runs as far as handle characters go (so
``@acmehelp`` never counts as ``@acme``). Twitter/X and Facebook handles are ``[A-Za-z0-9_]``;
Mastodon (``@user@server``) and Bluesky (``@name.bsky.social``) handles also hold dots, hyphens
and, for Mastodon, one inner ``@``. A trailing dot ends a sentence, not a handle.
"""

from __future__ import annotations

import re

WORD_HANDLE = r"(?:^|[^A-Za-z0-9_@])@([A-Za-z0-9_]+)"
DOTTED_HANDLE = r"(?:^|[^A-Za-z0-9_@.])@([A-Za-z0-9_]+(?:[.@-][A-Za-z0-9_]+)*)"
DOTTED_NETWORKS = ("mastodon", "bluesky")

_word_re = re.compile(WORD_HANDLE)
_dotted_re = re.compile(DOTTED_HANDLE)


def extract_mentions(text: str | None, network: str) -> list[str]:
    """Return the handles mentioned in ``text``: lower-cased, sorted, without duplicates."""
    if not text:
        return []
    pattern = _dotted_re if network.lower() in DOTTED_NETWORKS else _word_re
    return sorted({handle.lower() for handle in pattern.findall(text)})


def mentions_sql(text_expr: str, network_expr: str) -> str:
    """DuckDB expression equivalent to :func:`extract_mentions` (set-based, no Python per row)."""
    dotted = ", ".join(f"'{n}'" for n in DOTTED_NETWORKS)
    return (
        "list_sort(list_distinct(list_transform("
        f"case when lower({network_expr}) in ({dotted}) "
        f"then regexp_extract_all(coalesce({text_expr}, ''), '{DOTTED_HANDLE}', 1) "
        f"else regexp_extract_all(coalesce({text_expr}, ''), '{WORD_HANDLE}', 1) end, "
        "lambda h: lower(h))))"
    )
