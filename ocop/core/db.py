"""An optional read replica (DATABASE_REPLICA_URL) for what the public reads: catalog, verification,
statistics, the public API. Everything else, and every write, goes to the primary.

Only requests without a session (visitors) on the public paths read from the replica: an officer who has just
saved something reads it back from the primary, never a replica a moment behind.
"""

from __future__ import annotations

import contextvars
import functools
import weakref
from typing import Any

from django.conf import settings

REPLICA = "replica"
PUBLIC_READ_PREFIXES = ("/san-pham/", "/verify/", "/thong-ke/", "/dia-phuong/", "/chu-the/", "/api/v1/")
# Under those, what belongs to signed-in people (the officers' dashboard, plan targets, a token's own data).
PRIVATE_PREFIXES = ("/thong-ke/bang-dieu-khien/", "/thong-ke/ke-hoach/", "/api/v1/me", "/api/v1/dossiers",
                    "/api/v1/imports")  # fmt: skip

_replica_reads: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_reads", default=False)


class PrimaryReplicaRouter:
    """Reads go to the replica while a public read is being served; writes and migrations to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return REPLICA if _replica_reads.get() else None

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


def is_public_read(request: Any) -> bool:
    path = request.path_info
    return (
        request.method in ("GET", "HEAD")
        and path.startswith(PUBLIC_READ_PREFIXES)
        and not path.startswith(PRIVATE_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


class ReplicaReadsMiddleware:
    """Mark a visitor's public read so that the router sends its queries to the replica."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        token = _replica_reads.set(is_public_read(request))
        try:
            return self.get_response(request)
        finally:
            _replica_reads.reset(token)


_PREPARED: dict[str, weakref.WeakSet] = {}  # statement name → the PostgreSQL connections that hold it


def fetch_prepared(cursor: Any, name: str, types: str, sql: str, params: list[Any]) -> tuple | None:
    """The first row of `sql` (with %s placeholders), on PostgreSQL prepared once per connection as `name` with
    parameter `types` ("(bigint, date)"), then executed by name.

    For the hottest reads (the stamp scan page, the product page, a search page's cards): planning their joins
    costs more than running them, and Django's client-side binding would plan them at every request. Elsewhere
    the statement is run as is.
    """
    execute_prepared(cursor, name, types, sql, params)
    return cursor.fetchone()


@functools.lru_cache(maxsize=64)
def _named_placeholders(sql: str) -> tuple[str, tuple[str, ...]]:
    """`sql` with its %s placeholders named (%(p0)s, %(p1)s …) and the names. Django's SQLite backend turns
    positional placeholders into ? with a regular expression that walks the whole statement at every execution
    (28 µs for the product page's 2.3 KB), named ones with a %-format (2 µs)."""
    pieces = sql.split("%s")
    names = tuple(f"p{index}" for index in range(len(pieces) - 1))
    return pieces[0] + "".join(f"%({name})s{piece}" for name, piece in zip(names, pieces[1:], strict=True)), names


def execute_prepared(cursor: Any, name: str, types: str, sql: str, params: list[Any]) -> None:
    """Run `sql` as `fetch_prepared` does; the caller fetches the rows."""
    db = cursor.db
    if db.vendor != "postgresql":
        named, names = _named_placeholders(sql)
        cursor.execute(named, dict(zip(names, params, strict=True)))
        return
    held = _PREPARED.setdefault(name, weakref.WeakSet())
    raw = db.connection
    if raw not in held:
        cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [name])
        if cursor.fetchone() is None:
            pieces = sql.split("%s")
            body = pieces[0] + "".join(f"${index}{piece}" for index, piece in enumerate(pieces[1:], start=1))
            cursor.execute(f"PREPARE {name} {types} AS {body}")
        held.add(raw)
    cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", params)
