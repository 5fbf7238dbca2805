"""The scan log: every opening of a stamp's page is a row of `stamps_scan`, written off the page's path.

With the production cache (Redis, `OCOP_CACHE=redis`) a scan is first appended to a Redis list — one round trip
with the code's count of scans not yet in the database — and the list is moved into the database in batches:
by the scan that finds a batch due (every `FLUSH_EVERY` seconds while people scan, or when `FLUSH_AT` scans
wait), by the scheduler's tick (every 30 s, when nobody scans), and by every reader of scans first (the
dashboards, the place form, the API), so what the pages count is never behind. A scan page then costs one read
of the database and one round trip to Redis, however many people scan: the campaign-day load (issue 21's bench)
writes in a few large transactions instead of one per scan.

The count a scan page shows and the counterfeit rules use is the database's count plus the code's pending count
(`pending:{code}`, decremented as its scans reach the database: the two never overlap, so a scan is never counted
twice; in the instant of a flush a count may be short of the batch being written, never over).

Without Redis (development, the tests' default cache) a scan is written at once, in the same shape.

A scan carries a random token (128 bits): the place form names its scan by it, so the page needs no scan number
(which a buffered scan does not have yet) and nothing signed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
from typing import Any

from django.core.cache import caches
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from ocop.core.cache import RedisCache
from ocop.stamps.models import Scan

logger = logging.getLogger(__name__)

FLUSH_AT = 500  # scans waiting: the scan that reaches it moves them
FLUSH_EVERY = 2  # seconds: at most one timed move by a scan per period, across every server
BATCH = 2000  # rows a transaction
PENDING_DAYS = 2  # a code's pending count outlives any plausible delay of a move


def _keys(client_prefix: str) -> tuple[str, str, str]:
    return f"{client_prefix}:scans:buffer", f"{client_prefix}:scans:pending:", f"{client_prefix}:scans:due"


def _redis() -> tuple[Any, str] | None:
    """The Redis client and key prefix of the default cache, when it is Redis."""
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return None
    return cache._cache.get_client(write=True), cache.key_prefix or "ocop"


def new_token() -> str:
    return secrets.token_urlsafe(16)


_COLUMNS = "at, code, stamp_id, product_id, outcome, province_id, province_source, network, agent, token"
_INSERT = f"INSERT INTO stamps_scan ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, NULL, '', %s, %s, %s)"  # noqa: S608  (constants only)


def _insert(rows: list[list[Any]]) -> None:
    """Rows of (at ISO text, code, stamp code, product id, outcome, network, agent, token) into the table."""
    adapt = connection.ops.adapt_datetimefield_value
    params = [[adapt(dt.datetime.fromisoformat(row[0])), *row[1:]] for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(_INSERT, params)
        elif not connection.in_atomic_block:
            # One scan is a log line: PostgreSQL may acknowledge it before its WAL reaches the disk (a crash loses
            # at most the last moment of scans, never the database's consistency); the SET LOCAL and the INSERT go
            # as one query, which PostgreSQL runs as one implicit transaction, in one round trip.
            for one in params:
                cursor.execute("SET LOCAL synchronous_commit TO OFF; " + _INSERT, one)
        else:  # a batch: COPY, acknowledged without waiting for the disk either
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            with cursor.cursor.copy(f"COPY stamps_scan ({_COLUMNS}) FROM STDIN") as copy:
                for at, code, stamp, product, outcome, network, agent, token in params:
                    copy.write_row((at, code, stamp, product, outcome, None, "", network, agent, token))


def record(*, code: str, stamp_code: str | None, product_id: int | None, outcome: str, network: str,
           agent: str) -> tuple[str, int]:  # fmt: skip
    """Log one scan; returns its token and how many scans of the code (this one included) are not yet counted
    by the database."""
    token = new_token()
    row = [timezone.now().isoformat(), code[:40], stamp_code, product_id, outcome, network[:45], agent[:30], token]
    found = _redis()
    if found is None:
        _insert([row])
        return token, 1
    client, prefix = found
    script = _RECORD.get(id(client))
    if script is None:
        script = _RECORD[id(client)] = client.register_script(_RECORD_LUA)
    buffer, pending_prefix, due = _keys(prefix)
    waiting, pending, claimed = script(keys=[buffer, pending_prefix + (stamp_code or ""), due], args=[
        json.dumps(row, separators=(",", ":")), 1 if stamp_code else 0, PENDING_DAYS * 86400, FLUSH_EVERY])  # fmt: skip
    if waiting >= FLUSH_AT or claimed:
        _flush(client, prefix)
    return token, int(pending)


# One round trip: append the scan, count it as pending for its stamp, and claim the timed move when it is due.
_RECORD_LUA = """
local waiting = redis.call('RPUSH', KEYS[1], ARGV[1])
local pending = 1
if ARGV[2] == '1' then
  pending = redis.call('INCR', KEYS[2])
  redis.call('EXPIRE', KEYS[2], ARGV[3])
end
local claimed = 0
if redis.call('SET', KEYS[3], '1', 'NX', 'EX', ARGV[4]) then claimed = 1 end
return {waiting, pending, claimed}
"""
_RECORD: dict[int, Any] = {}


def flush() -> int:
    """Move every waiting scan into the database (readers call it first); returns how many were moved."""
    found = _redis()
    return _flush(*found) if found else 0


def _flush(client: Any, prefix: str) -> int:
    buffer, pending, _due = _keys(prefix)
    moved = 0
    while True:
        raw = client.lpop(buffer, BATCH)  # atomic: two servers moving at once take different scans
        if not raw:
            return moved
        rows: list[list[Any]] = []
        for item in raw:
            try:
                row = json.loads(item)
                if not isinstance(row, list) or len(row) != 8:
                    raise ValueError("not a scan row")
                rows.append(row)
            except ValueError:
                _set_aside(client, prefix, item)
        counts: dict[str, int] = {}
        for row in rows:
            if row[2]:
                counts[row[2]] = counts.get(row[2], 0) + 1
        _pending_add(client, pending, counts, -1)  # before the rows count in the database: never counted twice
        try:
            with transaction.atomic():
                _insert(rows)
        except (OperationalError, InterfaceError):  # the database is away: nothing lost, the scans wait again
            client.lpush(buffer, *reversed(raw))
            _pending_add(client, pending, counts, 1)
            raise
        except Exception:  # a row the database refuses must not hold the others back: one by one
            refused = []
            for row in rows:
                try:
                    with transaction.atomic():
                        _insert([row])
                except (OperationalError, InterfaceError):
                    raise
                except Exception:
                    refused.append(json.dumps(row))
            if refused:
                client.rpush(f"{prefix}:scans:refused", *refused)
                logger.error("%d scans the database refused were set aside in %s:scans:refused, e.g. %s",
                             len(refused), prefix, refused[0])  # fmt: skip
            moved -= len(refused)
        moved += len(rows)


def _set_aside(client: Any, prefix: str, item: Any) -> None:
    """A scan row that is not one, kept for an operator (`{prefix}:scans:refused`) and logged."""
    logger.error("A scan row that is not one was set aside in %s:scans:refused: %r", prefix, item)
    client.rpush(f"{prefix}:scans:refused", item)


def _pending_add(client: Any, pending: str, counts: dict[str, int], sign: int) -> None:
    if not counts:
        return
    pipe = client.pipeline(transaction=False)
    for code, n in counts.items():
        pipe.incrby(pending + code, sign * n)
    pipe.execute()


def pending_counts(codes: list[str]) -> dict[str, int]:
    """The scans of each code not yet in the database (0 without Redis)."""
    found = _redis()
    if found is None or not codes:
        return dict.fromkeys(codes, 0)
    client, prefix = found
    values = client.mget([_keys(prefix)[1] + code for code in codes])
    return {code: max(int(value or 0), 0) for code, value in zip(codes, values, strict=True)}


def scan_by_token(token: str, code: str) -> Scan | None:
    """The scan a page named by its token (moved into the database first, if it waits)."""
    if not token or len(token) > 40:
        return None
    flush()
    return Scan.objects.select_related("province", "stamp").filter(token=token, code=code).first()
