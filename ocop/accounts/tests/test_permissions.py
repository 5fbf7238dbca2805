import pytest
from django.db import IntegrityError

from ocop.accounts.models import User
from ocop.accounts.scoping import area_of, scope_q
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.tests.factories import ProductFactory
from ocop.certification.tests.factories import CertificateFactory
from ocop.producers.models import Producer, ProducerMembership
from ocop.producers.tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_product(commune):
    return ProductFactory(producer=ProducerFactory(commune=commune, province=commune.province))


@pytest.fixture
def far_product(ha_noi):
    from ocop.geo.models import Commune

    far = Commune.objects.filter(province=ha_noi).first()
    return ProductFactory(producer=ProducerFactory(commune=far, province=ha_noi))


def test_a_producer_user_may_change_only_its_own_products(producer_user, local_product, far_product):
    ProducerMembership.objects.create(user=producer_user, producer=local_product.producer)
    assert producer_user.has_perm("catalog.change_product", local_product)
    assert not producer_user.has_perm("catalog.change_product", far_product)


def test_a_province_officer_acts_only_within_their_province(province_officer, local_product, far_product):
    assert province_officer.has_perm("catalog.change_product", local_product)
    assert not province_officer.has_perm("catalog.change_product", far_product)
    certificate = CertificateFactory(product=local_product)
    assert province_officer.has_perm("certification.revoke_certificate", certificate)
    assert not province_officer.has_perm("certification.revoke_certificate", CertificateFactory(product=far_product))


def test_a_commune_officer_acts_only_within_their_commune(commune_officer, local_product, other_commune):
    elsewhere = ProductFactory(producer=ProducerFactory(commune=other_commune, province=other_commune.province))
    assert commune_officer.has_perm("producers.change_producer", local_product.producer)
    assert not commune_officer.has_perm("producers.change_producer", elsewhere.producer)
    assert not commune_officer.has_perm("certification.revoke_certificate", CertificateFactory(product=local_product))


def test_central_officers_act_everywhere(central_officer, far_product):
    assert central_officer.has_perm("catalog.change_product", far_product)
    assert central_officer.has_perm("certification.revoke_certificate", CertificateFactory(product=far_product))


@pytest.mark.parametrize("role_fixture", ["buyer", "council_member", "producer_user"])
def test_people_without_a_scope_cannot_revoke(request, role_fixture, local_product):
    user = request.getfixturevalue(role_fixture)
    assert not user.has_perm("certification.revoke_certificate", CertificateFactory(product=local_product))


def test_the_scope_restricts_querysets_by_role_and_area(province_officer, commune_officer, buyer, central_officer,
                                                   local_product, far_product, other_commune):  # fmt: skip
    ProducerFactory(commune=other_commune, province=other_commune.province)

    def visible(user):
        scope = scope_q(user, province="province", commune="commune")
        return set(Producer.objects.filter(scope).values_list("pk", flat=True))

    assert visible(central_officer) == set(Producer.objects.values_list("pk", flat=True))
    assert far_product.producer_id not in visible(province_officer)
    assert local_product.producer_id in visible(province_officer)
    assert visible(commune_officer) == {local_product.producer_id}
    assert visible(buyer) == set()


def test_each_role_answers_for_its_area(province_officer, commune_officer, council_member, central_officer, buyer,
                                        producer_user):  # fmt: skip
    assert area_of(central_officer).is_national
    assert area_of(province_officer).province_id == province_officer.province_id
    assert area_of(council_member).province_id == council_member.province_id
    assert (area_of(commune_officer).commune_id, area_of(commune_officer).province_id) == (
        commune_officer.commune_id, commune_officer.province_id,
    )  # fmt: skip
    assert area_of(buyer) is None and area_of(producer_user) is None


def test_a_commune_officer_must_have_a_commune():
    with pytest.raises(IntegrityError):
        UserFactory(username="nocommune", role=User.Role.COMMUNE_OFFICER)
