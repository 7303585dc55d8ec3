"""API connectors (plain Python on httpx): fetch one UTC day per brand account, map each payload
to the canonical raw record of SPEC §4, and land it like a file import."""
