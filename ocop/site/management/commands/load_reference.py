"""Load the reference data: administrative units and the product classification (idempotent)."""

from django.core.management.base import BaseCommand

from ocop.catalog.classification import category_load_reference
from ocop.geo.services import geo_load_reference


class Command(BaseCommand):
    help = "Load provinces, communes, former units and the OCOP classification; safe to run again."

    def handle(self, *args, **options):
        counts = geo_load_reference()
        counts["categories"] = category_load_reference()
        summary = ", ".join(f"{key}={value}" for key, value in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded: {summary}"))
