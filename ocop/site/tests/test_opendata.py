"""Open data: the dump's files, their dictionary and catalog, and the stable addresses serving them."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ocop.catalog.tests.factories import ProductFactory
from ocop.certification.models import Certificate
from ocop.certification.services import products_sync_certification
from ocop.dashboards.tests.helpers import certify, holding, producers_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _folder(settings, tmp_path):
    settings.OCOP_OPENDATA_DIR = tmp_path / "opendata"
    settings.OCOP_SITE_URL = "https://ocop.example.vn"


@pytest.fixture
def published(cao_bang):
    products = holding(cao_bang, products=5, producers=2, levels={3: 4, 4: 1}, on=timezone.localdate())
    revoked = ProductFactory(producer=producers_in(cao_bang, 1)[0], name="Miến dong Đức Xuân")
    certify(
        revoked,
        3,
        timezone.localdate().replace(year=2024),
        revoked_on=timezone.localdate(),
        status=Certificate.Status.VALID,
    )  # fmt: skip  (the nightly status flip has not run yet)
    products_sync_certification([p.pk for p in [*products, revoked]])
    ProductFactory(producer=producers_in(cao_bang, 1)[0])  # never certified: not public
    call_command("opendata_dump", verbosity=0)
    return products


def test_the_dump_writes_each_data_set_as_csv_and_json_lines(client, published):
    rows = list(csv.DictReader(io.StringIO(client.get("/du-lieu-mo/products.csv").getvalue().decode("utf-8-sig"))))
    assert len(rows) == 6 and {"Miến dong Đức Xuân"} <= {r["name"] for r in rows}
    lines = b"".join(client.get("/du-lieu-mo/certificates.jsonl").streaming_content).decode().splitlines()
    certificates = [json.loads(line) for line in lines]
    assert len(certificates) == 6
    revoked_id = next(int(r["id"]) for r in rows if r["name"] == "Miến dong Đức Xuân")
    assert {c["status"] for c in certificates if c["product_id"] == revoked_id} == {"revoked"}
    assert {c["status"] for c in certificates if c["product_id"] != revoked_id} == {"valid"}
    producers = client.get("/du-lieu-mo/producers.csv").getvalue().decode("utf-8-sig").splitlines()
    assert len(producers) == 1 + 3


def test_the_catalog_describes_every_file_and_the_dictionary_every_column(client, published):
    catalog = json.loads(client.get("/du-lieu-mo/catalog.json").getvalue())
    assert catalog["@type"] == "dcat:Catalog"
    urls = [d["dcat:downloadURL"] for ds in catalog["dcat:dataset"] for d in ds["dcat:distribution"]]
    assert "https://ocop.example.vn/du-lieu-mo/products.csv" in urls and len(urls) == 6
    products = next(ds for ds in catalog["dcat:dataset"] if ds["dct:identifier"] == "products")
    assert products["dcat:distribution"][0]["ocop:rows"] == 6
    dictionary = json.loads(client.get("/du-lieu-mo/data-dictionary.json").getvalue())
    header = client.get("/du-lieu-mo/products.csv").getvalue().decode("utf-8-sig").splitlines()[0].split(",")
    assert [c["name"] for c in dictionary["products"]["columns"]] == header


def test_the_page_lists_the_files_and_only_published_names_are_served(client, published, central_officer):
    page = client.get(reverse("site:opendata-index")).content.decode()
    assert "products.csv" in page and "catalog.json" in page
    for name in ("../settings.py", "products.csv.tmp", "other.csv"):
        assert client.get(f"/du-lieu-mo/{name}").status_code == 404
    assert client.post(reverse("site:opendata-refresh")).status_code in (302, 403)
    client.force_login(central_officer)
    assert client.post(reverse("site:opendata-refresh")).status_code == 302


def test_before_the_first_dump_the_page_says_so(client, db):
    assert "chưa được tạo" in client.get(reverse("site:opendata-index")).content.decode()
    assert client.get("/du-lieu-mo/products.csv").status_code == 404
