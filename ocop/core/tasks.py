"""Background work of the platform itself."""

from __future__ import annotations

import os

from django.core.cache import cache
from django_tasks import task


@task()
def probe(run: str, number: int) -> int:
    """Count one execution of (run, number) in the shared cache and return the worker's process id: the
    scale-out check queues many and verifies that each ran exactly once, on whichever machine took it."""
    key = f"probe:{run}:{number}"
    cache.add(key, 0, timeout=3600)
    cache.incr(key)
    return os.getpid()
