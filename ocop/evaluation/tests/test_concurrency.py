"""A dossier's registration clicked five times at once makes one dossier (real threads and connections)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from ocop.core.once import FIELD, new_form_token
from ocop.core.tests.concurrency import at_once
from ocop.evaluation.models import Dossier

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cao_bang():
    call_command("load_reference", verbosity=0)  # a transactional test starts from an empty database
    from ocop.geo.models import Province

    return Province.objects.get(code="04")


def test_five_identical_registrations_at_once_make_one_dossier(cycle):
    cycle["round"].opens_on = dt.date.today() - dt.timedelta(days=10)
    cycle["round"].submission_deadline = dt.date.today() + dt.timedelta(days=30)
    cycle["round"].scoring_deadline = dt.date.today() + dt.timedelta(days=60)
    cycle["round"].save()
    data = {
        "producer": cycle["producer"].pk, "evaluation_round": cycle["round"].pk, "kind": "new",
        "product_name": "Miến dong Nguyên Bình", "category": cycle["category"].pk, "description": "Miến sợi nhỏ",
        FIELD: new_form_token(),
    }  # fmt: skip

    def post(client):
        client.force_login(cycle["owner"])
        return client.post(reverse("evaluation:dossier-create"), data)

    codes = at_once(5, post)
    assert Dossier.objects.count() == 1
    assert sorted(codes) == [302] * 5  # every click lands on the one dossier
