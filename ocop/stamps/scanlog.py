"""The scan log: every opening of a stamp's page is a row of `stamps_scan`, written off the page's path.

Each server process keeps the scans of its pages in memory and writes them together, in one transaction (COPY on
PostgreSQL): by the scan that finds the last write `OCOP_SCAN_FLUSH_MS` ago (1 s in production) or `FLUSH_AT`
scans waiting, by a timer thread of the process when nobody scans, by every reader of scans in the process (the
dashboards, the place form) and when the process stops. A scan page then costs one read of the database and no
write: a campaign day writes a few transactions a second instead of one per scan (issue 21's bench).

Counts — what the page shows and the counterfeit rules use — are the database's plus this process's scans not yet
written. A lock keeps a write from landing between the two readings, so a scan is never counted twice; a scan made
on another server process counts once it is written, within `OCOP_SCAN_FLUSH_MS`. A process stopped gracefully
writes what it holds; one killed outright (SIGKILL, power loss) loses at most that last moment of scans. With
`OCOP_SCAN_FLUSH_MS=0` (the tests' default) each scan is written at once.

A scan carries a token (random, with its time and a short signature): the place form names its scan by it, so
the page needs no row id (which a scan not yet written does not have); a place sent before the scan is written
waits for it, at most a moment, and only for a token this site made.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
import time
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, connections, transaction
from django.utils import timezone

from ocop.stamps.models import Scan

logger = logging.getLogger(__name__)

FLUSH_AT = 1000  # scans waiting in one process: the scan that reaches it writes them
KEEP_AT_MOST = 200_000  # scans held while the database is away; the oldest go beyond (and are logged)

_lock = threading.RLock()  # the process's waiting scans, and a write against the counts read beside them
_rows: list[list[Any]] = []
_pending: dict[str, int] = {}  # stamp code → its scans waiting in this process
_state: dict[str, Any] = {"pid": None, "last": 0.0}


def _interval() -> float:
    return settings.OCOP_SCAN_FLUSH_MS / 1000


def consistent() -> threading.RLock:
    """Hold it while reading a stamp's counts from the database and recording its scan (no write in between).
    With threaded workers (gthread) a process's scans then read one at a time: about 0.3 ms each, a few thousand
    a second per process."""
    return _lock


# --- Tokens ---------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _key(secret: str) -> bytes:
    return hashlib.blake2b(b"ocop.stamps.scanlog.token:" + secret.encode(), digest_size=32).digest()


def _signature(text: str) -> str:
    """A keyed BLAKE2b MAC (4 bytes: enough to tell this site's tokens from made-up ones)."""
    return hashlib.blake2b(text.encode(), key=_key(settings.SECRET_KEY), digest_size=4).hexdigest()


def new_token() -> str:
    """Random part, time (tenths of a second, base 36), signature: at most 32 characters."""
    text = f"{secrets.token_urlsafe(9)}.{int(time.time() * 10):x}"
    return f"{text}.{_signature(text)}"


def _token_age(token: str) -> float | None:
    """Seconds since the token was made, when this site made it; None otherwise."""
    text, _dot, signature = token.rpartition(".")
    if not text or not hmac.compare_digest(signature.encode(), _signature(text).encode()):  # any text a form sends
        return None
    try:
        return time.time() - int(text.rpartition(".")[2], 16) / 10
    except ValueError:
        return None


# --- Writing --------------------------------------------------------------------------------------------------

_COLUMNS = "at, code, stamp_id, product_id, outcome, province_id, province_source, network, agent, token"
_INSERT = f"INSERT INTO stamps_scan ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, NULL, '', %s, %s, %s)"  # noqa: S608  (constants only)


def _insert(rows: list[list[Any]]) -> None:
    """Rows of (at ISO text, code, stamp code, product id, outcome, network, agent, token) into the table."""
    adapt = connection.ops.adapt_datetimefield_value
    params = [[adapt(dt.datetime.fromisoformat(row[0])), *row[1:]] for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(_INSERT, params)
        else:  # always inside `_write`'s transaction: COPY, acknowledged before its WAL reaches the disk (a scan is
            # a log line: a crash loses at most the last moment of scans, never the database's consistency)
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            with cursor.cursor.copy(f"COPY stamps_scan ({_COLUMNS}) FROM STDIN") as copy:
                for at, code, stamp, product, outcome, network, agent, token in params:
                    copy.write_row((at, code, stamp, product, outcome, None, "", network, agent, token))


def _write(rows: list[list[Any]]) -> int:
    """Write the rows in one transaction; a row the database refuses is logged and the others written."""
    try:
        with transaction.atomic():
            _insert(rows)
        return len(rows)
    except (OperationalError, InterfaceError):
        raise
    except Exception:  # noqa: S110  (one by one below)
        pass
    written = 0
    for row in rows:
        try:
            with transaction.atomic():
                _insert([row])
            written += 1
        except (OperationalError, InterfaceError):
            raise
        except Exception:
            logger.exception("A scan the database refused was left out: %s", json.dumps(row))
    return written


def record(*, code: str, stamp_code: str | None, product_id: int | None, outcome: str, network: str,
           agent: str) -> tuple[str, int]:  # fmt: skip
    """Log one scan; returns its token and how many scans of the stamp (this one included) this process holds
    unwritten."""
    token = new_token()
    row = [timezone.now().isoformat(), code[:40], stamp_code, product_id, outcome, network[:45], agent[:30], token]
    interval = _interval()
    if interval <= 0:
        _write([row])
        return token, 1
    with _lock:
        if _state["pid"] != os.getpid():
            _process_started()
        _rows.append(row)
        if connection.in_atomic_block:  # made inside a transaction (the demo's seeding): written by its connection
            _state["in_transaction"] = True
        pending = 1
        if stamp_code:
            pending = _pending[stamp_code] = _pending.get(stamp_code, 0) + 1
        if len(_rows) >= FLUSH_AT or time.monotonic() - _state["last"] >= interval:
            flush()
    return token, pending


def pending(stamp_code: str) -> int:
    """The stamp's scans this process holds unwritten."""
    with _lock:
        return _pending.get(stamp_code, 0)


def flush() -> int:
    """Write the scans this process holds (readers call it first); returns how many were written. With the
    database away they are kept for the next write (and the error logged), never lost by this call."""
    with _lock:
        _state["last"] = time.monotonic()
        if not _rows:
            return 0
        try:
            written = _write(_rows)
        except (OperationalError, InterfaceError):
            logger.exception("The scan log could not be written; %d scans are kept for the next write", len(_rows))
            if len(_rows) > KEEP_AT_MOST:
                logger.error("%d oldest scans dropped", len(_rows) - KEEP_AT_MOST)
                del _rows[: len(_rows) - KEEP_AT_MOST]
            return 0
        _rows.clear()
        _pending.clear()
        _state["in_transaction"] = False
        return written


def _process_started() -> None:
    """First buffered scan of this process (a forked worker holds none of its parent's): the timer and the
    write at exit."""
    _rows.clear()
    _pending.clear()
    _state.update(pid=os.getpid(), last=float("-inf"))  # its first scan is written at once
    _start_timer()
    atexit.register(_at_exit)


def _start_timer() -> None:
    threading.Thread(target=_timer, name="ocop-scan-log", daemon=True).start()


def _timer() -> None:
    """Write what waits when nobody scans (the scans themselves write when they find the last write old)."""
    while True:
        interval = _interval()
        time.sleep(interval if interval > 0 else 1.0)
        try:
            with _lock:
                # Scans made inside a transaction still open on the thread that made them are left to it: this
                # thread's connection does not see the stamps that transaction created.
                if (
                    interval > 0
                    and _rows
                    and not _state.get("in_transaction")
                    and (time.monotonic() - _state["last"] >= interval)
                ):
                    flush()
        except Exception:
            logger.exception("The scan log's timer failed; it goes on")
        finally:
            connections.close_all()  # this thread's own connections: none held between writes


def _at_exit() -> None:
    try:
        flush()
    except Exception:
        logger.exception("The scan log could not be written at exit")


# --- Reading --------------------------------------------------------------------------------------------------


def scan_by_token(token: str, code: str) -> Scan | None:
    """The scan a page named by its token. A scan made a moment ago on another server process may not be written
    yet: for a token this site made, wait for it at most the write period and a second."""
    if not token or len(token) > 40:
        return None
    flush()
    found = Scan.objects.select_related("province", "stamp").filter(token=token, code=code).first()
    age = _token_age(token) if found is None else None
    if age is None:
        return found
    deadline = time.monotonic() + max(0.0, _interval() + 1.0 - max(age, 0.0))
    while found is None and time.monotonic() < deadline:
        time.sleep(0.2)
        found = Scan.objects.select_related("province", "stamp").filter(token=token, code=code).first()
    return found
