"""The Redis cache backend (`OCOP_CACHE=redis`) against the real Redis: Django's behaviour, one client per pool."""

import threading

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from ocop.core.cache import RedisCache

URL = "redis://127.0.0.1:6379/15"


def test_it_caches_as_djangos_backend_does_with_one_client_reused():
    cache = RedisCache(URL, {"KEY_PREFIX": "ocop-cache-test"})
    reference = DjangoRedisCache(URL, {"KEY_PREFIX": "ocop-cache-test"})
    cache.clear()
    cache.set("page", (200, [("ETag", '"x"')], "Mật ong".encode()), 60)
    assert reference.get("page") == (200, [("ETag", '"x"')], "Mật ong".encode())  # the same keys and values
    cache.set("catalog:version", 1, None)
    assert cache.incr("catalog:version") == 2
    assert cache.get_many(["page", "catalog:version", "missing"]).keys() == {"page", "catalog:version"}
    assert cache._cache.get_client() is cache._cache.get_client()
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)

    seen: list[int] = []
    threads = [threading.Thread(target=lambda: seen.append(cache.incr("catalog:version"))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(seen) == list(range(3, 11))  # one shared client, eight threads, no lost or doubled increment
    cache.clear()
