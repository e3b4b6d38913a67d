"""Errors the user can act on; the CLI prints their message without a traceback."""


class QuotegraphError(Exception):
    """Base class: the message says what went wrong and what to do."""


class InputError(QuotegraphError):
    """An input file or record cannot be read as an article."""


class StoreError(QuotegraphError):
    """The database cannot be opened, migrated or written."""


class ModelError(QuotegraphError):
    """The spaCy pipeline named in the settings is not installed."""
