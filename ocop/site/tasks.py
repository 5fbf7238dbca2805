"""Background work of the catalog: the open data dump on demand."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from ocop.site.opendata import opendata_dump


@task()
def opendata_dump_task() -> dict[str, int]:
    """Regenerate the open data files now (the nightly command does the same)."""
    catalog = opendata_dump(base_url=settings.OCOP_SITE_URL)
    return {d["dct:identifier"]: d["dcat:distribution"][0]["ocop:rows"] for d in catalog["dcat:dataset"]}
