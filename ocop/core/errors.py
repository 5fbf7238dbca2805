"""Errors that services raise for people to read."""

from __future__ import annotations


class ApplicationError(Exception):
    """A rule refused an action; `message` is shown to the user (translated), `code` to machines."""

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
