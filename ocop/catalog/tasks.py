"""Background work of the catalog: the typo fallback's vocabulary on PostgreSQL."""

from __future__ import annotations

from django_tasks import task

from ocop.catalog.search import vocabulary_refresh


@task()
def search_vocabulary_task() -> dict[str, int]:
    """Rebuild the search vocabulary from the index (nightly, and after every import)."""
    return {"words": len(vocabulary_refresh())}
