"""The portal's look, checked page by page in Chromium at a phone's width (390 px) and a laptop's (1366 px), in
Vietnamese and in English: no horizontal overflow, no console error (403, 404 and 500 pages included), no serious
or critical accessibility violation (axe-core from npm), numbers written as Vietnamese writes them (years never
grouped, one decimal separator per language). Screenshots go to tests/e2e/screenshots/look-*.png."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import timezone
from playwright.sync_api import expect

from ocop.catalog.models import Product
from ocop.certification.models import Certificate
from ocop.geo.models import Province
from ocop.market.tests.factories import FairFactory
from ocop.producers.models import Producer
from ocop.site.management.commands.seed_demo import DEMO_PASSWORD
from ocop.stamps.models import Stamp
from tests.e2e.conftest import SCREENSHOTS

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"phone": 390, "laptop": 1366}
# A year printed with a thousands separator ("năm 2.026", "1/2.026", "2021–2.025"): never right, in either
# language (a quantity of 2.000 boxes is, so the year's context decides).
GROUPED_YEAR = re.compile(r"(?:năm|Năm|NĂM|[Yy]ear|in|/|–|-)\s?2[.,]0[0-4]\d(?![\d.,])")
# A decimal written with the other language's separator: "79.00" on a Vietnamese page, "79,00" on an English one
# (a thousands group always has three digits, so one or two after the mark is a decimal).
WRONG_DECIMAL = {"vi": re.compile(r"(?<![\w.,/-])(?<!BY )\d{1,3}\.\d{1,2}(?![\w.,])"),  # not "CC BY 4.0"
                 "en": re.compile(r"(?<![\w.,/-])\d{1,3},\d{1,2}(?![\w.,])")}  # fmt: skip


def _axe(page) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):  # evaluated by DevTools: the page's CSP stays on
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    found = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => v.id + ": " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
        }"""
    )
    return list(found)


def _third_party(path: str, violation: str) -> bool:
    """Swagger UI (django-ninja's API docs) nests its own controls; that widget's markup is not ours to change."""
    return path.startswith("/api/") and violation.startswith("nested-interactive")


def _check(page, site, problems: list[str], name: str, path: str, language: str, status: int = 200) -> list[str]:
    """Open `path` at both widths; return what is wrong with it."""
    wrong = []
    for width_name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        problems.clear()
        response = page.goto(f"{site.url}{path}")
        if response is None or response.status != status:
            wrong.append(f"{path}: status {response and response.status}")
            continue
        page.wait_for_load_state("networkidle")
        here = [p for p in problems if f"status of {status}" not in p]
        if here:
            wrong.append(f"{path} {width_name}: {here}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            wider = page.evaluate(
                """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right >
                    window.innerWidth + 1 && !e.closest('.table-scroll, .gallery, pre, .swagger-ui'))
                    .slice(0, 3).map(e => e.tagName + '.' + e.className)"""
            )
            wrong.append(f"{path} {width_name} {language}: {overflow}px wider than the screen {wider}")
        # The page's own language only: a Vietnamese summary quoted on the English page (lang="vi") keeps its commas.
        text = page.evaluate("""() => { const root = (document.querySelector('main') || document.body).cloneNode(true);
            const own = document.documentElement.lang;
            root.querySelectorAll('[lang]').forEach(el => { if (el.lang !== own) el.remove(); });
            return root.innerText; }""")
        for match in GROUPED_YEAR.finditer(text):
            wrong.append(f"{path} {language}: a grouped year {match.group(0)!r}")
        for match in WRONG_DECIMAL[language].finditer(text if not path.startswith("/api/") else ""):  # "OAS 3.1"
            wrong.append(f"{path} {language}: a decimal with the wrong separator {match.group(0)!r}")
        if width_name == "laptop":
            wrong += [f"{path} {language} axe {v}" for v in _axe(page) if not _third_party(path, v)]
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"look-{name}-{language}-{width_name}.png"), full_page=True)
    return wrong


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_kind_of_page_fits_a_phone_reads_right_and_passes_axe(site, page, language):
    assert AXE.exists(), "make assets installs axe-core (npm) for the browser tests"
    call_command("seed_demo", products=40, seed=3, verbosity=0)  # every product with a drawn photo
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": site.url}])
    ha_noi = Province.objects.get(code="01")
    product = Product.objects.filter(status="active", certificates__isnull=False).order_by("pk").first()
    producer = Producer.objects.get(pk=product.producer_id)
    certificate = Certificate.objects.filter(product=product).order_by("-issued_on").first()
    fair = FairFactory(province=ha_noi, starts_on=timezone.localdate() + dt.timedelta(days=20))
    stamp = Stamp.objects.select_related("series").order_by("series", "serial").first()  # the demo's batch
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    wrong: list[str] = []
    for name, path in [
        ("home", "/"), ("search", "/san-pham/?q=mat+ong"), ("product", f"/san-pham/{product.pk}-{product.slug}/"),
        ("producer", f"/chu-the/{producer.pk}-{producer.slug}/"), ("provinces", "/dia-phuong/"),
        ("province", f"/dia-phuong/{ha_noi.slug}/"), ("verify", f"/verify/{certificate.verification_code}/"),
        ("verify-form", "/verify/"), ("statistics", "/thong-ke/"),
        ("statistics-province", f"/thong-ke/tinh/{ha_noi.slug}/"),
        ("open-data", "/du-lieu-mo/"), ("demands", "/giao-thuong/can-mua/"), ("fairs", "/giao-thuong/hoi-cho/"),
        ("fair", f"/giao-thuong/hoi-cho/{fair.pk}/"), ("sale-points", "/giao-thuong/diem-ban/"),
        ("login", "/tai-khoan/dang-nhap/"), ("signup", "/tai-khoan/dang-ky/"), ("api-docs", "/api/v1/docs"),
        ("inquiry-form", f"/giao-thuong/hoi-mua/san-pham/{product.pk}/"),
        ("stamp-lookup", "/t/"), ("stamp-scan", f"/t/{stamp.code}"), ("stamp-report", f"/t/{stamp.code}/bao-hang-gia"),
    ]:  # fmt: skip
        wrong += _check(page, site, problems, name, path, language)
    wrong += _check(page, site, problems, "not-found", "/san-pham/999999-khong-co/", language, status=404)
    wrong += _check(page, site, problems, "stamp-unknown", "/t/ABCDEFGHJKM", language, status=404)

    page.goto(f"{site.url}/tai-khoan/dang-nhap/")
    page.locator("input[name=username]").fill("tinh")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("input[name=password]")).to_have_count(0)
    for name, path in [
        ("dashboard", "/thong-ke/bang-dieu-khien/"), ("dossiers", "/ho-so/"), ("rounds", "/ho-so/dot-danh-gia/"),
        ("imports", "/nhap-du-lieu/"), ("people", "/tai-khoan/nguoi-dung/"), ("contracts", "/giao-thuong/hop-dong/"),
        ("notifications", "/thong-bao/"), ("design-system", "/thiet-ke/"), ("profile", "/tai-khoan/ho-so/"),
        ("stamps", "/tem/"), ("stamp-batch", f"/tem/lo/{stamp.series.batch_id}/"),
        ("plans", "/van-phong/ke-hoach/"), ("support", "/van-phong/ho-tro/"), ("inspections", "/van-phong/kiem-tra/"),
        ("support-new", "/van-phong/ho-tro/moi/"),
        ("annual-report", f"/thong-ke/bao-cao-nam/?nam={dt.date.today().year - 1}"),
    ]:  # fmt: skip
        wrong += _check(page, site, problems, name, path, language)
    elsewhere = Product.objects.exclude(province__code="01").order_by("pk").first()  # not Hà Nội's officer's
    wrong += _check(page, site, problems, "forbidden", f"/nhat-ky/catalog.product/{elsewhere.pk}/", language,
                    status=403)  # fmt: skip
    # The server-error page is rendered without the database, as Django sends it: shown here as it would be.
    page.route(f"{site.url}/_error", lambda route: route.fulfill(
        status=500, body=render_to_string("500.html"), content_type="text/html; charset=utf-8"))  # fmt: skip
    wrong += _check(page, site, problems, "server-error", "/_error", language, status=500)
    assert not wrong, "\n".join(wrong)
