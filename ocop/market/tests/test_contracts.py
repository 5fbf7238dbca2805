"""Retail contracts as a pipeline: who records them, the stages only move forward, and a signed contract reaches
the statistics' "ký kết tiêu thụ với hệ thống bán lẻ", the catalog filter and the export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.models import Product
from ocop.catalog.tests.helpers import certified_product
from ocop.core.errors import ApplicationError
from ocop.core.models import AuditEntry
from ocop.dashboards.selectors.activity import channel_stats
from ocop.geo.models import Province
from ocop.geo.scope import Scope
from ocop.market.contracts import contract_save, contracts_for, pipeline
from ocop.market.models import RetailContract, SalesChannel

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def product():
    return certified_product("Chè Shan tuyết Hà Giang", stars=4)


@pytest.fixture
def officer(product):
    return UserFactory(role=User.Role.PROVINCE_OFFICER, province=product.province)


def _retail_count(product) -> int:
    return channel_stats(scope=Scope.nation(), on=TODAY).retail


def test_the_pipeline_moves_forward_and_a_signed_contract_counts_as_retail(product, officer):
    contract = contract_save(by=officer, product=product, chain="Co.opmart", stage="negotiating")
    assert contract.channel is None and _retail_count(product) == 0
    signed = TODAY - dt.timedelta(days=3)
    contract = contract_save(by=officer, contract=contract, product=product, chain="Co.opmart", stage="signed",
                             signed_on=signed, stores=12, value=250_000_000)  # fmt: skip
    channel = SalesChannel.objects.get(contract=contract)
    assert (channel.kind, channel.name, channel.since, channel.until, channel.stores) == (
        "retail",
        "Co.opmart",
        signed,
        None,
        12,
    )
    assert Product.objects.get(pk=product.pk).in_retail
    stats = channel_stats(scope=Scope.nation(), on=TODAY)
    assert stats.retail == 1 and [s.label for s in stats.chains] == ["Co.opmart"]

    with pytest.raises(ApplicationError) as refused:
        contract_save(by=officer, contract=contract, product=product, chain="Co.opmart", stage="negotiating")
    assert refused.value.code == "backwards"

    contract = contract_save(by=officer, contract=contract, product=product, chain="Co.opmart", stage="ended",
                             signed_on=signed, ended_on=TODAY - dt.timedelta(days=1))  # fmt: skip
    assert _retail_count(product) == 0 and not Product.objects.get(pk=product.pk).in_retail
    assert channel_stats(scope=Scope.nation(), on=signed).retail == 1  # it counted while it ran
    logged = AuditEntry.objects.filter(object_type="market.retailcontract", object_id=str(contract.pk))
    assert list(logged.order_by("pk").values_list("code", flat=True)) == [
        "market.contract.created",
        "market.contract.updated",
        "market.contract.updated",
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"stage": "signed"}, "signed_on"),
        ({"stage": "supplying", "signed_on": TODAY}, "supply_from"),
        ({"stage": "ended"}, "ended_on"),
        ({"stage": "signed", "signed_on": TODAY, "ended_on": TODAY}, "ended_on"),
        ({"stage": "supplying", "signed_on": TODAY, "supply_from": TODAY - dt.timedelta(days=1)}, "supply_from"),
    ],
)
def test_dates_that_do_not_fit_the_stage_are_refused_on_their_field(product, officer, fields, field):
    with pytest.raises(ApplicationError) as refused:
        contract_save(by=officer, product=product, chain="WinMart", **fields)
    assert refused.value.field == field
    assert not RetailContract.objects.exists()


def test_only_the_products_province_records_its_contracts(product):
    other = Province.objects.exclude(pk=product.province_id).first()
    elsewhere = UserFactory(role=User.Role.PROVINCE_OFFICER, province=other)
    producer = UserFactory(role=User.Role.PRODUCER)
    for user in (elsewhere, producer):
        with pytest.raises(ApplicationError):
            contract_save(by=user, product=product, chain="WinMart")
    assert not RetailContract.objects.exists()


def test_the_list_page_shows_the_pipeline_and_downloads_what_it_shows(
    client, product, officer, django_assert_max_num_queries
):
    for index, chain in enumerate(["Co.opmart", "WinMart", "Lotte Mart"]):
        contract_save(by=officer, product=product, chain=chain, stage="signed" if index else "negotiating",
                      signed_on=TODAY if index else None, value=100_000_000 * (index + 1))  # fmt: skip
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("market:contract-list"))
    assert response.status_code == 200
    sums = {s.stage: (s.contracts, s.value) for s in response.context["stages"]}
    assert sums == {"negotiating": (1, 100_000_000), "signed": (2, 500_000_000), "supplying": (0, 0), "ended": (0, 0)}
    assert "500.000.000" in response.content.decode()  # Vietnamese thousands
    response = client.get(reverse("market:contract-list"), {"giai-doan": "signed", "xuat": "xlsx"})
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    chains = [row[4] for row in rows[3:]]
    assert sorted(chains) == ["Lotte Mart", "WinMart"]


def test_the_form_records_a_contract_and_shows_refusals_on_the_field(client, product, officer):
    client.force_login(officer)
    url = reverse("market:contract-create")
    response = client.post(url, {"product": product.pk, "chain": "WinMart", "stage": "signed"})
    assert response.status_code == 400
    assert "ngày ký" in response.content.decode().lower() or "signed" in response.content.decode().lower()
    response = client.post(url, {"product": product.pk, "chain": "WinMart", "stage": "signed",
                                 "signed_on": TODAY.isoformat(), "value": "90000000"})  # fmt: skip
    assert response.status_code == 302
    contract = RetailContract.objects.get()
    assert contract.channel is not None and contract.created_by == officer
    assert list(contracts_for(UserFactory(role=User.Role.BUYER))) == []
    assert pipeline(contracts_for(officer))[1].contracts == 1
