"""Errors that the command line turns into one clear line instead of a traceback."""


class IngestionError(Exception):
    """An input that cannot be read at all (missing file, unknown format, missing columns)."""
