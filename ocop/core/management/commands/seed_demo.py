"""Build a realistic, deterministic demo data set from the test factories."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from factory.random import randgen, reseed_random

from ocop.accounts.models import User
from ocop.catalog.models import Category, Product, Regime
from ocop.catalog.tests.factories import LEAF_WEIGHTS, ProductFactory
from ocop.catalog.versioning import catalog_changed
from ocop.certification.models import Certificate
from ocop.certification.tests.factories import CertificateFactory, random_stars
from ocop.core.dates import certificate_expiry
from ocop.core.models import AuditEntry
from ocop.dashboards.projection import spans_rebuild_all
from ocop.geo.models import Commune, LegacyCommune, LegacyProvince, Province
from ocop.market.models import SalesChannel
from ocop.market.tests.factories import SalesChannelFactory
from ocop.producers.models import Producer, ProducerMembership
from ocop.producers.tests.factories import ProducerFactory

DEMO_PASSWORD = "ocop-demo-2025"  # noqa: S105 - documented demo accounts, created only by this command
FIRST_ISSUE = dt.date(2019, 6, 1)
REVOCATION_REASONS = [
    "Không thực hiện đúng quy trình sản xuất đã công bố.",
    "Vi phạm quy định về an toàn thực phẩm.",
    "Sản phẩm không đảm bảo chất lượng, mẫu mã như khi được công nhận.",
    "Chủ thể ngừng sản xuất sản phẩm.",
    "Không duy trì hồ sơ kiểm soát chất lượng, truy xuất nguồn gốc.",
]
BATCH = 2000


class Command(BaseCommand):
    help = "Create demo producers, products and certificates (2019–2026); deterministic for a given seed."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=300, help="How many products (default 300).")
        parser.add_argument(
            "--producers", type=int, default=0, help="How many producers (default: products / 1.8, as in 2025)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--reset", action="store_true", help="Delete existing catalog data first.")
        parser.add_argument("--no-users", action="store_true", help="Do not create the demo accounts.")

    def handle(self, *args, products: int, producers: int, seed: int, reset: bool, no_users: bool, **options):
        if products < 1:
            raise CommandError("--products must be at least 1.")
        if not Commune.objects.exists():
            raise CommandError("Load the reference data first: python manage.py load_reference")
        if reset:
            self._reset()
        elif Product.objects.exists():
            self.stdout.write(
                f"Demo data already present ({Product.objects.count()} products); nothing to do. "
                "Use --reset to rebuild it."
            )
            if not no_users:
                self._users()
            return
        started = time.monotonic()
        reseed_random(seed)
        self._seed(products, producers)
        catalog_changed()
        if not no_users:
            self._users()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {Producer.objects.count()} producers, {Product.objects.count()} products, "
                f"{Certificate.objects.count()} certificates in {time.monotonic() - started:.1f} s."
            )
        )

    def _reset(self) -> None:
        with transaction.atomic():
            SalesChannel.objects.all().delete()
            Certificate.objects.all().delete()
            Product.objects.all().delete()
            ProducerMembership.objects.all().delete()
            Producer.objects.all().delete()
            AuditEntry.objects.all().delete()

    def _seed(self, n_products: int, n_producers: int = 0) -> None:
        today = timezone.localdate()
        provinces = list(Province.objects.order_by("code"))
        communes_by_province: dict[int, list[Commune]] = defaultdict(list)
        for commune in Commune.objects.select_related("province").order_by("code"):
            communes_by_province[commune.province_id].append(commune)
        legacy_provinces = {p.pk: p for p in LegacyProvince.objects.all()}
        legacy_of_commune = {
            commune_id: legacy_provinces[province_id]
            for commune_id, province_id in LegacyCommune.objects.filter(successor__isnull=False)
            .order_by("code")
            .values_list("successor_id", "district__province_id")
        }
        # Hà Nội holds ~15% of products (≈2,700 of 18,000); the rest spread unevenly.
        weights = [15.0 if p.code == "01" else randgen.uniform(1.0, 4.0) for p in provinces]
        leaves = {
            c.code: c
            for c in Category.objects.filter(regime=Regime.D148_2023, is_leaf=True).select_related("parent", "group")
        }
        leaf_codes = list(LEAF_WEIGHTS)
        leaf_weights = [LEAF_WEIGHTS[c] for c in leaf_codes]

        n_producers = n_producers or max(1, round(n_products / 1.8))
        producers: list[Producer] = []
        for _ in range(n_producers):
            province = randgen.choices(provinces, weights)[0]
            commune = randgen.choice(communes_by_province[province.pk])
            producers.append(
                ProducerFactory.build(
                    commune=commune, province=province, legacy_province=legacy_of_commune.get(commune.pk)
                )
            )
        with transaction.atomic():
            Producer.objects.bulk_create(producers, batch_size=BATCH)
        self.stdout.write(f"  {len(producers)} producers")

        items: list[Product] = []
        for index in range(n_products):
            producer = producers[index] if index < len(producers) else randgen.choice(producers)
            code = randgen.choices(leaf_codes, leaf_weights)[0]
            items.append(ProductFactory.build(producer=producer, leaf_code=code, category=leaves[code]))

        sequences: dict[tuple[str, int], int] = defaultdict(int)
        certificates: list[Certificate] = []
        span = (today - FIRST_ISSUE).days
        for product in items:
            issued_on = FIRST_ISSUE + dt.timedelta(days=randgen.randrange(max(span - 20, 1)))
            stars = random_stars()
            while True:
                certificates.append(self._certificate(product, stars, issued_on, sequences, today))
                renewal = certificate_expiry(issued_on)
                # Half of the producers renew (re-evaluation) when the certificate expires; some upgrade.
                if renewal > today or randgen.random() < 0.5:
                    break
                issued_on = renewal + dt.timedelta(days=randgen.randrange(0, 60))
                if issued_on > today:
                    break
                if stars < 5 and randgen.random() < 0.25:
                    stars += 1
        for certificate in certificates:  # in issue order, so the last one is the product's current one
            product = certificate.product
            product.stars = certificate.stars
            product.certificate_status = certificate.status
            product.certified_on = certificate.issued_on
        channels: list[SalesChannel] = []
        for product in items:
            if randgen.random() < 0.35:
                for kind in {randgen.choices(["ecommerce", "retail", "export"], [6, 3, 1])[0] for _ in range(2)}:
                    channel = SalesChannelFactory.build(product=product, kind=kind)
                    channels.append(channel)
                    setattr(
                        product, {"ecommerce": "has_ecommerce", "retail": "in_retail", "export": "exported"}[kind], True
                    )
        with transaction.atomic():
            Product.objects.bulk_create(items, batch_size=BATCH)
            Certificate.objects.bulk_create(certificates, batch_size=BATCH)
            SalesChannel.objects.bulk_create(channels, batch_size=BATCH)
            spans_rebuild_all()
        self.stdout.write(f"  {len(items)} products, {len(certificates)} certificates, {len(channels)} sales channels")

    def _certificate(self, product, stars, issued_on, sequences, today) -> Certificate:
        province = product.producer.province
        sequences[(province.code, issued_on.year)] += 1
        certificate = CertificateFactory.build(
            product=product,
            stars=stars,
            issued_on=issued_on,
            province=province,
            legacy_province_id=product.producer.legacy_province_id if issued_on < dt.date(2025, 7, 1) else None,
            number=f"OCOP-{province.code}-{issued_on.year}-{sequences[(province.code, issued_on.year)]:05d}",
            decision_number=f"{randgen.randint(100, 3999)}/QĐ-UBND"
            if stars < 5
            else f"{randgen.randint(100, 999)}/QĐ-BNN-VPĐP",
            round_label=f"Đợt {randgen.choice([1, 1, 2])} năm {issued_on.year}",
        )
        if randgen.random() < 0.03 and certificate.expires_on > issued_on + dt.timedelta(days=60):
            certificate.revoked_on = min(today, issued_on + dt.timedelta(days=randgen.randrange(60, 900)))
            certificate.revocation_decision = f"{randgen.randint(100, 3999)}/QĐ-UBND"
            certificate.revocation_reason = randgen.choice(REVOCATION_REASONS)
        certificate.status = certificate.status_on(today) or Certificate.Status.VALID
        return certificate

    def _users(self) -> None:
        """One account per role, password DEMO_PASSWORD (see README)."""
        hanoi = Province.objects.get(code="01")
        first_producer = Producer.objects.filter(province=hanoi).order_by("pk").first() or Producer.objects.first()
        commune = first_producer.commune if first_producer else Commune.objects.filter(province=hanoi).first()
        if commune is None:
            raise CommandError("No commune found: load the reference data first.")
        specs: list[tuple[str, str, dict[str, Any]]] = [
            ("admin", User.Role.SITE_ADMIN, {"is_staff": True, "is_superuser": True}),
            ("trunguong", User.Role.CENTRAL_OFFICER, {"is_staff": True}),
            ("tinh", User.Role.PROVINCE_OFFICER, {"province": commune.province}),
            ("xa", User.Role.COMMUNE_OFFICER, {"province": commune.province, "commune": commune}),
            ("hoidong", User.Role.COUNCIL_MEMBER, {"province": commune.province}),
            ("chuthe", User.Role.PRODUCER, {}),
            ("nguoimua", User.Role.BUYER, {"organisation": "Siêu thị Xanh"}),
        ]
        created = 0
        for username, role, extra in specs:
            user, was_created = User.objects.get_or_create(
                username=username, defaults={"role": role, "email": f"{username}@ocop.localhost", **extra}
            )
            if was_created:
                user.set_password(DEMO_PASSWORD)
                user.save()
                created += 1
            if role == User.Role.PRODUCER and first_producer:
                ProducerMembership.objects.get_or_create(user=user, producer=first_producer)
        if created:
            self.stdout.write(f"  {created} demo accounts (password: {DEMO_PASSWORD})")
