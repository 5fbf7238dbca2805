"""Raw SQL that only one database runs, for the search migrations' RunPython operations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def on_postgresql(statements: list[str]) -> Callable[[Any, Any], None]:
    """A RunPython function executing `statements` on PostgreSQL and nothing elsewhere."""

    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run
