import pytest
from django.core.management import call_command

from ocop.accounts.models import User
from ocop.catalog.models import Product
from ocop.certification.models import Certificate
from ocop.producers.models import Producer

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(Producer.objects.order_by("tax_code").values_list("name", "commune__code")),
        list(Product.objects.order_by("producer__tax_code", "name", "stars").values_list("name", "stars")),
        list(Certificate.objects.order_by("number").values_list("number", "stars", "issued_on", "status")),
    )


def test_seed_demo_builds_certificates_of_every_status_from_2019_on():
    call_command("seed_demo", products=150, seed=3, verbosity=0)
    assert Product.objects.count() == 150 + 6  # and Hà Nội's 2021 list, imported with dates known to the year
    assert Certificate.objects.filter(issued_precision="year", product__producer__commune__isnull=True).count() == 6
    statuses = set(Certificate.objects.values_list("status", flat=True))
    assert statuses == {"valid", "expired", "revoked"}
    years = set(Certificate.objects.values_list("issued_on__year", flat=True))
    assert min(years) == 2019
    assert User.objects.filter(username="admin", is_superuser=True).exists()
    for certificate in Certificate.objects.all()[:50]:
        assert (
            {3: 50, 4: 70, 5: 90}[certificate.stars] <= certificate.score <= {3: 70, 4: 90, 5: 100}[certificate.stars]
        )


def test_seed_demo_is_deterministic_for_a_seed_and_does_not_duplicate():
    call_command("seed_demo", products=60, seed=7, verbosity=0)
    first = snapshot()
    call_command("seed_demo", products=60, seed=7, verbosity=0)
    assert snapshot() == first
    call_command("seed_demo", products=60, seed=7, reset=True, verbosity=0)
    assert snapshot()[1] == first[1]
    assert snapshot()[2][:5] == first[2][:5]
