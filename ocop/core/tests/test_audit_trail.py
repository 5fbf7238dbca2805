"""The audit trail per object: who, when, what and from where; for the responsible officers, read-only."""

import datetime as dt

import pytest
from django.urls import reverse

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.evaluation.tests.conftest import cycle  # noqa: F401  (the fixture)
from ocop.evaluation.tests.test_services import new_dossier
from ocop.geo.models import Province

pytestmark = pytest.mark.django_db


def test_officers_read_who_changed_a_dossier_and_from_which_address(client, cycle, province_officer):  # noqa: F811
    evaluation_round = cycle["round"]
    evaluation_round.opens_on = dt.date.today() - dt.timedelta(days=10)
    evaluation_round.submission_deadline = dt.date.today() + dt.timedelta(days=30)
    evaluation_round.scoring_deadline = dt.date.today() + dt.timedelta(days=60)
    evaluation_round.save()
    client.force_login(cycle["owner"])
    created = client.post(reverse("evaluation:dossier-create"), {
        "producer": cycle["producer"].pk, "evaluation_round": cycle["round"].pk, "kind": "new",
        "product_name": "Miến dong", "category": cycle["category"].pk,
    }, REMOTE_ADDR="203.0.113.7")  # fmt: skip
    pk = int(created["Location"].rstrip("/").rsplit("/", 1)[1])
    url = reverse("site:audit-trail", args=["evaluation.dossier", pk])
    assert client.get(url).status_code == 403  # the producer reads its dossier, not the officers' trail
    client.force_login(province_officer)
    page = client.get(url).content.decode()
    assert "Đăng ký hồ sơ" in page and "evaluation.dossier.created" not in page and "203.0.113.7" in page
    other = UserFactory(username="tinh-khac", role=User.Role.PROVINCE_OFFICER, province=Province.objects.get(code="01"))
    client.force_login(other)
    assert client.get(url).status_code == 403
    assert client.get(reverse("site:audit-trail", args=["accounts.user", 1])).status_code == 404


def test_a_dossier_without_changes_says_so(client, cycle, central_officer):  # noqa: F811
    dossier = new_dossier(cycle)
    client.force_login(central_officer)
    assert (
        "Đăng ký hồ sơ"
        in client.get(reverse("site:audit-trail", args=["evaluation.dossier", dossier.pk])).content.decode()
    )
