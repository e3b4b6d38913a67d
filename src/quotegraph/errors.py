"""Errors the user can act on; the CLI prints their message without a traceback, the API answers with it."""


class QuotegraphError(Exception):
    """Base class: the message says what went wrong and what to do."""


class InputError(QuotegraphError):
    """An input file or record cannot be read as an article."""


class StoreError(QuotegraphError):
    """The database cannot be opened, migrated or written."""


class ModelError(QuotegraphError):
    """The spaCy pipeline named in the settings is not installed."""


class InvalidParameter(QuotegraphError):
    """A value the user gave (a command-line option, an API or page parameter) is not valid.

    ``parameter`` is its name in the library (``min_confidence``); each surface shows it its own way
    (``--min-confidence``, ``min_confidence``), with the same message.
    """

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter.rstrip('_')}: {message}")
        self.parameter = parameter
        self.message = message


class AnalysisError(QuotegraphError):
    """An article could not be analysed (the reason says why: an error, a limit it passed)."""
