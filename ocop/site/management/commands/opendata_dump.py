"""Write the open data sets (run nightly by cron or a systemd timer, like certificates_daily)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from ocop.site.opendata import opendata_dir, opendata_dump


class Command(BaseCommand):
    help = "Write the public catalog as CSV and JSON Lines, with the data dictionary and catalog.json."

    def handle(self, *args, **options):
        catalog = opendata_dump(base_url=settings.OCOP_SITE_URL)
        for dataset in catalog["dcat:dataset"]:
            rows = dataset["dcat:distribution"][0]["ocop:rows"]
            self.stdout.write(f"{dataset['dct:identifier']}: {rows} rows")
        self.stdout.write(self.style.SUCCESS(f"Open data written to {opendata_dir()}"))
