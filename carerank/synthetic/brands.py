"""The brands of a synthetic world and their accounts, with the registry's traps: a care account
beside the main one, handles that start with another brand's handle, and the registry spelling
handles in another letter case than the posts do."""

from __future__ import annotations

import math
import random

from carerank.synthetic.model import NETWORKS, Account, Brand

WORDS = (
    "acme",
    "nova",
    "zenith",
    "orbit",
    "pixel",
    "atlas",
    "vertex",
    "lumen",
    "quanta",
    "helix",
    "cobalt",
    "ember",
    "fjord",
    "granite",
    "harbor",
    "indigo",
    "juniper",
    "krypton",
    "lotus",
    "meridian",
    "nimbus",
    "onyx",
    "prism",
    "quill",
    "rivet",
    "summit",
    "tundra",
    "umber",
)
SUFFIXES = ("mobile", "air", "bank", "foods", "net", "rail")
INDUSTRIES = ("airline", "telecom", "retail", "finance", "software", "food", "transport")
COUNTRIES = ("US", "GB", "DE", "FR", "IN", "BR", "KE")


def make_brands(rng: random.Random, n_brands: int) -> list[Brand]:
    """``n_brands`` brands, each with a main account per network and, for most, a care account;
    how often and how fast each one answers is drawn here."""
    brands = []
    for i in range(n_brands):
        word = WORDS[(i // 2) % len(WORDS)] + ("" if i < 2 * len(WORDS) else str(i))
        # Every second brand's handle starts with another brand's handle: the prefix trap.
        base = word if i % 2 == 0 else word + SUFFIXES[(i // 2) % len(SUFFIXES)]
        brand = Brand(
            brand_id=f"brand_{base}",
            name=base.capitalize(),
            industry=INDUSTRIES[i % len(INDUSTRIES)],
            country=COUNTRIES[(i * 3) % len(COUNTRIES)],
            response_rate=rng.uniform(0.15, 0.95),
            median_minutes=math.exp(rng.uniform(math.log(4), math.log(600))),
        )
        has_care = rng.random() < 0.6
        for network in NETWORKS:
            # The registry spells handles in its own letter case; posts use another.
            main = Account(
                brand.brand_id,
                network,
                _account_id(rng, network),
                _handle(base.capitalize(), network),
                True,
            )
            brand.accounts[network] = [main]
            if has_care:
                care = _handle(base + "help", network)
                brand.accounts[network].append(
                    Account(brand.brand_id, network, _account_id(rng, network), care, False)
                )
        brands.append(brand)
    return brands


def _handle(word: str, network: str) -> str:
    return f"{word}.bsky.social" if network == "bluesky" else word


def _account_id(rng: random.Random, network: str) -> str:
    if network == "bluesky":
        return "did:plc:" + "".join(
            rng.choice("abcdefghijklmnopqrstuvwxyz234567") for _ in range(16)
        )
    return str(rng.randrange(10**8, 10**9))
