"""Errors that services raise for people to read."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class ApplicationError(Exception):
    """A rule refused an action; `message` is shown to the user (translated), `code` to machines."""

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


def form_refused(form: Any, error: ApplicationError | ValidationError) -> None:
    """Show a service's refusal on the form: on its field when the form has that field, else above the form.

    A model's `ValidationError` (from `full_clean`) is spread over the fields it names the same way."""
    if isinstance(error, ValidationError):
        problems = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
        for field, messages in problems:
            form.add_error(field if field in form.fields else None, messages)
        return
    form.add_error(error.field if error.field in form.fields else None, error.message)
