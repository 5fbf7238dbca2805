"""A version number of the public catalog, part of every cache key that holds catalog figures."""

from __future__ import annotations

from django.core.cache import cache

KEY = "catalog:version"


def catalog_version() -> int:
    """A number that changes whenever public catalog data changes."""
    return cache.get_or_set(KEY, 1, None) or 1


def catalog_changed() -> None:
    """Invalidate cached facets and figures after a product, certificate or channel change."""
    try:
        cache.incr(KEY)
    except ValueError:
        cache.set(KEY, 2, None)
