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
    call_command("seed_demo", products=150, seed=3, pictures=0, verbosity=0)
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
    call_command("seed_demo", products=60, seed=7, pictures=0, verbosity=0)
    first = snapshot()
    call_command("seed_demo", products=60, seed=7, pictures=0, verbosity=0)
    assert snapshot() == first
    call_command("seed_demo", products=60, seed=7, reset=True, pictures=0, verbosity=0)
    assert snapshot()[1] == first[1]
    assert snapshot()[2][:5] == first[2][:5]


def test_the_demo_world_gives_every_role_work_and_never_a_certificate_from_invented_points(client):
    """A training round with dossiers in every state under the training criteria set, a council with work to do,
    a fair with booth types, sale points, demands and inquiries; the training dossier cannot be recognised."""
    import datetime as dt

    from django.urls import reverse

    from ocop.core.errors import ApplicationError
    from ocop.evaluation import services
    from ocop.evaluation.models import CriteriaSet, Dossier, EvaluationRound
    from ocop.market.models import BoothType, BuyerDemand, Fair, Inquiry, SalePoint

    call_command("seed_demo", products=40, seed=2, pictures=0, verbosity=0)
    training_round = EvaluationRound.objects.get(training=True)
    assert training_round.opens_on <= dt.date.today() <= training_round.submission_deadline
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "returned", "at_province", "scored"}
    training_set = CriteriaSet.objects.get(training=True)
    assert training_set.complete and "không dùng để công nhận" in training_set.name
    assert set(Dossier.objects.values_list("criteria_set", flat=True)) == {training_set.pk}
    assert not CriteriaSet.objects.filter(training=False, complete=True).exists()  # the official sets untouched
    assert Fair.objects.exists() and BoothType.objects.count() == 2 and SalePoint.objects.count() == 2
    assert BuyerDemand.objects.count() == 2 and Inquiry.objects.count() == 2

    # Practice never reaches the programme's figures: no registration, no pipeline entry, anywhere.
    from ocop.dashboards.selectors.activity import dossier_stats_by_status, registration_stats
    from ocop.geo.scope import Scope

    assert registration_stats(scope=Scope.nation(), year=training_round.year).total == 0
    assert dossier_stats_by_status(scope=Scope.nation()) == {}

    scored = Dossier.objects.get(status="scored")
    with pytest.raises(ApplicationError) as refused:
        services.decision_record(
            number="1/QĐ-UBND", signed_on=dt.date.today(), signer="Nguyễn Văn A", issuer="UBND", level="province",
            dossiers=[scored], by=User.objects.get(username="tinh"),
        )  # fmt: skip
    assert refused.value.code == "training"
    scored.refresh_from_db()
    assert scored.status == "scored" and scored.certificate_id is None

    # The demo producer registers a new product in the open round, out of the box, through the page.
    client.force_login(User.objects.get(username="chuthe"))
    producer = User.objects.get(username="chuthe").memberships.get().producer
    form = client.get(reverse("evaluation:dossier-create")).content.decode()
    assert "tập huấn" in form
    from ocop.catalog.models import Category

    response = client.post(reverse("evaluation:dossier-create"), {
        "producer": producer.pk, "evaluation_round": training_round.pk, "kind": "new",
        "product_name": "Bánh tẻ Phú Nhi", "category": Category.objects.get(regime="148/2023", code="I.3.b").pk,
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Dossier.objects.filter(product_name="Bánh tẻ Phú Nhi", criteria_set=training_set).exists()
    # The council member has a sheet to fill, the commune officer a dossier to pre-check.
    client.force_login(User.objects.get(username="hoidong"))
    assert "Giò lụa Ước Lễ" in client.get(reverse("evaluation:dossier-list")).content.decode()
    client.force_login(User.objects.get(username="xa"))
    assert "Cốm làng Vòng" in client.get(reverse("evaluation:dossier-list")).content.decode()
    # A producer who signed up asks to act for its cooperative: the commune and province officers confirm.
    for officer in ("xa", "tinh", "trunguong"):
        client.force_login(User.objects.get(username=officer))
        assert "Lò Thị Mai" in client.get(reverse("producers:claim-list")).content.decode()
    client.force_login(User.objects.get(username="chuthe"))
    workspace = client.get(reverse("site:workspace")).content.decode()
    assert producer.name in workspace and "Cốm làng Vòng" in workspace


def test_the_demo_province_officer_finds_the_imported_list_in_their_imports(client):
    from django.urls import reverse

    call_command("seed_demo", products=20, seed=4, verbosity=0)
    client.force_login(User.objects.get(username="tinh"))
    assert "ha-noi-2021.csv" in client.get(reverse("spreadsheets:import-list")).content.decode()


def test_every_demo_product_has_a_drawn_photo_and_a_reset_removes_the_files(
    settings, tmp_path, client, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", products=12, seed=5, no_users=True, verbosity=0)
    from ocop.catalog.models import Product

    assert not Product.objects.filter(cover={}).exists()
    files = list((tmp_path / "media").rglob("*.webp"))
    assert len(files) >= 18
    page = client.get("/san-pham/").content.decode()
    assert page.count("<picture>") == Product.objects.count() == 18 and 'loading="lazy"' in page  # 12 + the list
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", products=3, seed=5, no_users=True, reset=True, pictures=0, verbosity=0)
    assert not any(path.exists() for path in files)
