"""The benchmark scenarios and small timing helpers shared by them."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

SCENARIOS: dict[str, Callable[[], dict]] = {}


def scenario(name: str):
    def register(fn: Callable[[], dict]) -> Callable[[], dict]:
        SCENARIOS[name] = fn
        return fn

    return register


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock seconds of `repeat` calls of fn."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def wait_until_up(base: str, path: str = "/ping", tries: int = 100) -> None:
    """Wait (up to 20 s) until the server at `base` answers `path`."""
    import urllib.request

    for _ in range(tries):
        try:
            urllib.request.urlopen(f"{base}{path}", timeout=1).read()  # noqa: S310
            return
        except OSError:
            time.sleep(0.2)


def summary_ms(samples: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(samples) * 1000, 3),
        "p95_ms": round(percentile(samples, 95) * 1000, 3),
        "max_ms": round(max(samples) * 1000, 3),
    }
