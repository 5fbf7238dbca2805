"""Build a realistic, deterministic demo data set (`ocop.site.demo` builds the records)."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from ocop.accounts.models import User
from ocop.catalog.models import Category, Product, ProductImage, Regime
from ocop.catalog.services import product_picture_store
from ocop.catalog.versioning import catalog_changed
from ocop.certification.models import Certificate, CertificateSequence
from ocop.certification.projection import spans_rebuild_all
from ocop.certification.rules import certificate_number_format, certificate_status_stored
from ocop.core.dates import certificate_expiry
from ocop.core.models import AuditEntry
from ocop.core.pictures import pictures_delete
from ocop.geo.models import Commune, LegacyCommune, LegacyProvince, Province
from ocop.market.models import SalesChannel
from ocop.producers.models import Producer, ProducerClaim, ProducerMembership
from ocop.site import demo
from ocop.site.demo_pictures import picture_upload

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
PICTURES_UP_TO = 2000


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
        parser.add_argument(
            "--pictures", type=int, default=-1,
            help=f"How many products get a drawn photo (default: every one up to {PICTURES_UP_TO:,} products, "
            "none above: a benchmark's data set needs none).",
        )  # fmt: skip

    def handle(
        self, *args, products: int, producers: int, seed: int, reset: bool, no_users: bool, pictures: int = -1,
        **options,
    ):  # fmt: skip
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
                self._world()
            return
        started = time.monotonic()
        self._seed(random.Random(seed), products, producers)
        catalog_changed()
        self._published_list()
        # every product so far, the imported list's too
        self._pictures(Product.objects.count() if pictures < 0 and products <= PICTURES_UP_TO else max(pictures, 0))
        if not no_users:
            self._users()
            self._world()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {Producer.objects.count()} producers, {Product.objects.count()} products, "
                f"{Certificate.objects.count()} certificates in {time.monotonic() - started:.1f} s."
            )
        )

    def _reset(self) -> None:
        from ocop.evaluation.models import (
            Council,
            Dossier,
            DossierEvent,
            DossierResult,
            EvaluationRound,
            RecognitionDecision,
            ScoreSheet,
        )
        from ocop.market.models import BoothBooking, BuyerDemand, DemandOffer, Fair, Inquiry, SalePoint
        from ocop.office.models import Inspection, Plan, SupportActivity, SupportRequest
        from ocop.stamps.models import Batch, CounterfeitReport, Scan, Signal, Stamp, StampSeries

        with transaction.atomic():
            # The world first (it points at producers and products), then the catalog.
            world = (SupportRequest, SupportActivity, Inspection, Plan, CounterfeitReport, Signal, Scan, Stamp,
                     StampSeries, Batch, Inquiry, DemandOffer, BuyerDemand, BoothBooking, Fair, SalePoint,
                     RecognitionDecision, ScoreSheet, DossierResult, DossierEvent)  # fmt: skip
            for model in world:
                model.objects.all().delete()
            Dossier.objects.update(previous=None)
            Dossier.objects.all().delete()
            Council.objects.all().delete()
            EvaluationRound.objects.all().delete()
            SalesChannel.objects.all().delete()
            drawn = [name for image in ProductImage.objects.all() for name in
                     {image.image.name, *(n for pair in image.renditions.values() for n in pair.values())}]  # fmt: skip
            transaction.on_commit(lambda: pictures_delete(drawn))
            Certificate.objects.all().delete()
            CertificateSequence.objects.all().delete()  # no certificate left: numbering starts again
            Product.objects.all().delete()
            ProducerMembership.objects.all().delete()
            ProducerClaim.objects.all().delete()
            Producer.objects.all().delete()
            AuditEntry.objects.all().delete()

    def _seed(self, rng: random.Random, n_products: int, n_producers: int = 0) -> None:
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
        weights = [15.0 if p.code == "01" else rng.uniform(1.0, 4.0) for p in provinces]
        leaves = {
            c.code: c
            for c in Category.objects.filter(regime=Regime.D148_2023, is_leaf=True).select_related("parent", "group")
        }

        n_producers = n_producers or max(1, round(n_products / 1.8))
        producers: list[Producer] = []
        for serial in range(n_producers):
            province = rng.choices(provinces, weights)[0]
            commune = rng.choice(communes_by_province[province.pk])
            producers.append(
                demo.producer_build(
                    rng, commune=commune, serial=serial, legacy_province=legacy_of_commune.get(commune.pk)
                )
            )
        with transaction.atomic():
            Producer.objects.bulk_create(producers, batch_size=BATCH)
        self.stdout.write(f"  {len(producers)} producers")

        items: list[Product] = []
        for index in range(n_products):
            producer = producers[index] if index < len(producers) else rng.choice(producers)
            code = demo.random_leaf_code(rng)
            items.append(demo.product_build(rng, producer=producer, leaf_code=code, category=leaves[code]))

        sequences: dict[tuple[str, int], int] = defaultdict(int)
        certificates: list[Certificate] = []
        span = (today - FIRST_ISSUE).days
        for product in items:
            issued_on = FIRST_ISSUE + dt.timedelta(days=rng.randrange(max(span - 20, 1)))
            stars = demo.random_stars(rng)
            while True:
                certificates.append(self._certificate(rng, product, stars, issued_on, sequences, today))
                renewal = certificate_expiry(issued_on)
                # Half of the producers renew (re-evaluation) when the certificate expires; some upgrade.
                if renewal > today or rng.random() < 0.5:
                    break
                issued_on = renewal + dt.timedelta(days=rng.randrange(0, 60))
                if issued_on > today:
                    break
                if stars < 5 and rng.random() < 0.25:
                    stars += 1
        for certificate in certificates:  # in issue order, so the last one is the product's current one
            product = certificate.product
            product.stars = certificate.stars
            product.certificate_status = certificate.status
            product.certified_on = certificate.issued_on
        channels: list[SalesChannel] = []
        for product in items:
            if rng.random() < 0.35:
                for kind in {rng.choices(["ecommerce", "retail", "export"], [6, 3, 1])[0] for _ in range(2)}:
                    channel = demo.channel_build(rng, product=product, kind=kind)
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

    def _pictures(self, limit: int) -> None:
        """A drawn photo for the first `limit` products: the name on a jar, bottle or pack in the group's colours."""
        if limit <= 0:
            return
        products = Product.objects.select_related("category").order_by("pk")[:limit]
        for product in products:
            group = product.category.code.split(".")[0] if product.category is not None else "I"
            product_picture_store(product=product, upload=picture_upload(product.name, group=group,
                                                                          stars=product.stars))  # fmt: skip
        self.stdout.write(f"  {len(products)} drawn product photos")

    def _certificate(self, rng, product, stars, issued_on, sequences, today) -> Certificate:
        province = product.producer.province
        sequences[(province.code, issued_on.year)] += 1
        serial = sequences[(province.code, issued_on.year)]
        certificate = demo.certificate_build(
            rng,
            product=product,
            stars=stars,
            issued_on=issued_on,
            today=today,
            legacy_province_id=product.producer.legacy_province_id if issued_on < dt.date(2025, 7, 1) else None,
            number=certificate_number_format(province_code=province.code, year=issued_on.year, serial=serial),
            decision_number=f"{rng.randint(100, 3999)}/QĐ-UBND"
            if stars < 5
            else f"{rng.randint(100, 999)}/QĐ-BNN-VPĐP",
            round_label=f"Đợt {rng.choice([1, 1, 2])} năm {issued_on.year}",
        )
        if rng.random() < 0.03 and certificate.expires_on > issued_on + dt.timedelta(days=60):
            certificate.revoked_on = min(today, issued_on + dt.timedelta(days=rng.randrange(60, 900)))
            certificate.revocation_decision = f"{rng.randint(100, 3999)}/QĐ-UBND"
            certificate.revocation_reason = rng.choice(REVOCATION_REASONS)
        certificate.status = certificate_status_stored(certificate, today)
        return certificate

    def _published_list(self) -> None:
        """A list as Hà Nội published it for 2021 (the year only, districts, one product of no known group),
        imported through the importer like any officer's file: the "cần bổ sung" page then has work to show."""
        import csv
        import tempfile
        from pathlib import Path

        from ocop.spreadsheets.services import import_commit, import_session_create

        rows: list[list[object]] = [
            ["UBND THÀNH PHỐ HÀ NỘI", "", "", "", ""],
            ["DANH SÁCH SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN NĂM 2021", "", "", "", ""],
            ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao"],
            [1, "Chè búp Ba Vì", "HTX Chè Ba Trại", "huyện Ba Vì", "3 sao"],
            [2, "Miến dong Minh Hồng", "Hộ kinh doanh Nguyễn Văn Hồng", "huyện Ba Vì", "3 sao"],
            [3, "Mật ong hoa nhãn Thạch Thất", "HTX Ong mật Thạch Thất", "huyện Thạch Thất", "4 sao"],
            [4, "Cá rô đầm Sét", "HTX Thủy sản Đầm Sét", "quận Hoàng Mai", "3 sao"],
            [5, "Nem chua Chương Mỹ", "Cơ sở Nem Thủy", "huyện Chương Mỹ", "3 sao"],
            [6, "Gạo nếp cái hoa vàng Mỹ Đức", "HTX Nông nghiệp Hợp Thanh", "huyện Mỹ Đức", "3 sao"],
        ]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "ha-noi-2021.csv"
            with open(path, "w", newline="", encoding="utf-8-sig") as out:
                csv.writer(out).writerows(rows)
            session = import_commit(
                session=import_session_create(
                    path=path, filename="ha-noi-2021.csv", province=Province.objects.get(code="01")
                )
            )
        self.stdout.write(f"  Hà Nội's 2021 list imported: {session.counts['new']} rows (dates to the year)")

    def _world(self) -> None:
        """A training round with dossiers in every state, a fair, sale points, demands, inquiries (demo_world)."""
        from ocop.site.demo_world import world_build

        counts = world_build(password=DEMO_PASSWORD)
        if counts:
            self.stdout.write("  Demo world: " + ", ".join(f"{value} {key.replace('_', ' ')}"
                                                           for key, value in counts.items()))  # fmt: skip

    def _users(self) -> None:
        """One account per role, password DEMO_PASSWORD (see README)."""
        hanoi = Province.objects.get(code="01")
        first_producer = Producer.objects.filter(province=hanoi).order_by("pk").first() or Producer.objects.first()
        commune = first_producer.commune if first_producer else Commune.objects.filter(province=hanoi).first()
        if commune is None:
            raise CommandError("No commune found: load the reference data first.")
        specs: list[tuple[str, str, dict[str, Any]]] = [
            ("admin", User.Role.SITE_ADMIN, {"is_staff": True, "is_superuser": True, "full_name": "Quản trị hệ thống"}),
            ("trunguong", User.Role.CENTRAL_OFFICER, {"is_staff": True, "full_name": "Đỗ Thị Thu Trang"}),
            ("tinh", User.Role.PROVINCE_OFFICER, {"province": commune.province, "full_name": "Nguyễn Quang Huy"}),
            ("xa", User.Role.COMMUNE_OFFICER, {"province": commune.province, "commune": commune,
                                               "full_name": "Bùi Thị Hạnh"}),
            ("hoidong", User.Role.COUNCIL_MEMBER, {"province": commune.province, "full_name": "Lê Văn Hùng"}),
            ("chuthe", User.Role.PRODUCER, {"full_name": "Vũ Đức Thắng"}),
            ("nguoimua", User.Role.BUYER, {"organisation": "Siêu thị Xanh", "full_name": "Nguyễn Thu Hà"}),
        ]  # fmt: skip
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
