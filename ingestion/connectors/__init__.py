"""API connectors (plain Python on httpx): fetch one UTC day per brand account, map each payload
to the canonical raw record (the columns every file format is read into,
``ingestion.readers.CANONICAL_TYPES``), and land it like a file import."""
