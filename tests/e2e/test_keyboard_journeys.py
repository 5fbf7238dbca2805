"""Keyboard only, no mouse: a visitor searches and opens a product, asks for a quote; a council member scores a
dossier with the arrow keys. Every focused element shows a visible focus ring."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from ocop.accounts.tests.factories import PASSWORD
from ocop.catalog.tests.helpers import certified_product
from ocop.evaluation import services
from ocop.evaluation.models import EvaluationRound
from ocop.market.models import Inquiry
from tests.e2e.test_evaluation_journey import _cast
from tests.e2e.test_officer_journeys import _best


def _tab_to(page, test: str, limit: int = 120) -> None:
    """Press Tab until the focused element passes `test` (a JS expression over `el`); its focus must show."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({test}); }})()"):
            ring = page.evaluate("""(() => { const s = getComputedStyle(document.activeElement);
                return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0; })()""")
            assert ring, f"the focused element shows no focus ring: {test}"
            return
    raise AssertionError(f"Tab never reached {test}")


def test_a_visitor_searches_opens_a_product_and_asks_for_a_quote_with_the_keyboard(site, page):
    product = certified_product("Mật ong bạc hà Đồng Văn", stars=4)
    page.goto(f"{site.url}/")
    _tab_to(page, "el.id === 'site-q'")
    page.keyboard.type("mat ong bac ha")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/san-pham/\?q="))
    _tab_to(page, "el.closest('.card') && el.tagName === 'A'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/san-pham/{product.pk}-"))
    _tab_to(page, "el.getAttribute('href') && el.getAttribute('href').includes('/giao-thuong/hoi-mua/san-pham/')")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    for name, text in [("name", "Nguyễn Thu Hà"), ("phone", "0912345678"), ("quantity", "20"), ("unit", "hộp"),
                       ("message", "Xin báo giá sỉ cho 20 hộp.")]:  # fmt: skip
        _tab_to(page, f"el.name === '{name}'")
        page.keyboard.type(text)
    _tab_to(page, "el.tagName === 'BUTTON' && el.type === 'submit' && el.closest('main')")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_be_visible()
    assert Inquiry.objects.get().name == "Nguyễn Thu Hà"


def test_a_council_member_scores_with_the_arrow_keys(site, page):
    _cast()
    from ocop.accounts.models import User
    from ocop.catalog.models import Category, Regime
    from ocop.producers.models import Producer

    owner, commune_officer = User.objects.get(username="htx"), User.objects.get(username="xa")
    dossier = services.dossier_create(
        evaluation_round=EvaluationRound.objects.get(),
        producer=Producer.objects.get(), category=Category.objects.get(regime=Regime.D148_2023, code="I.1.a"),
        product_name="Miến dong Nguyên Bình", by=owner,
    )  # fmt: skip
    services.dossier_self_assess(dossier=dossier, choices=_best(dossier), by=owner)
    services.dossier_submit(dossier=dossier, by=owner)
    services.dossier_precheck(dossier=dossier, by=commune_officer, forward=True)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{site.url}/tai-khoan/dang-nhap/")
    _tab_to(page, "el.name === 'username'")
    page.keyboard.type("hd0")
    _tab_to(page, "el.name === 'password'")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("input[name=password]")).to_have_count(0)
    page.goto(f"{site.url}/ho-so/{dossier.pk}/")
    _tab_to(page, "el.textContent.includes('Phiếu chấm của bạn')")
    page.keyboard.press("Enter")
    expect(page.locator("#sheet-total")).to_be_visible()
    groups = page.locator("fieldset.criterion:has(input[type=radio])").count()
    for _ in range(groups):  # into each criterion's radio group, then to its last (best) option
        _tab_to(page, "el.type === 'radio'")
        for _step in range(12):
            if page.evaluate("""(() => { const el = document.activeElement;
                    const all = el.closest('fieldset').querySelectorAll('input[type=radio]');
                    return all[all.length - 1] === el; })()"""):
                break
            page.keyboard.press("ArrowDown")  # moves and checks the next option
        page.keyboard.press("Space")  # the best option, checked (Tab alone only focuses a group)
    expect(page.locator("#sheet-total")).to_have_text("100")
