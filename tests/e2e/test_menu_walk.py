"""After `seed_demo` (what `make run` does), every page in every demo account's menu opens on something real:
the browser walks each account's menu and fails on an error, a browser console error or an empty list."""

from __future__ import annotations

from django.core.management import call_command
from playwright.sync_api import expect

from ocop.site.management.commands.seed_demo import DEMO_PASSWORD

ACCOUNTS = ("chuthe", "xa", "hoidong", "tinh", "trunguong", "nguoimua", "admin")


def test_every_menu_page_of_every_demo_account_shows_content(site, page):
    call_command("seed_demo", products=40, seed=1, verbosity=0)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    walked: dict[str, list[str]] = {}
    for username in ACCOUNTS:
        page.context.clear_cookies()
        page.goto(f"{site.url}/tai-khoan/dang-nhap/")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(DEMO_PASSWORD)
        page.locator("main button[type=submit]").click()
        expect(page.locator("input[name=password]")).to_have_count(0)
        links = page.locator(".main-nav a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        walked[username] = links
        for href in links:
            response = page.goto(f"{site.url}{href}")
            assert response is not None and response.status == 200, (username, href, response and response.status)
            page.wait_for_load_state("networkidle")
            assert not problems, (username, href, problems)
            empty = page.locator("main .empty")
            assert empty.count() == 0, (username, href, empty.first.inner_text())
            assert page.locator("main").inner_text().strip(), (username, href)
    # each role's own pages are in its menu
    assert "/chu-the/cua-toi/" in walked["chuthe"] and "/thong-bao/" in walked["chuthe"]
    assert "/chu-the/xac-nhan/" in walked["xa"] and "/tai-khoan/nguoi-dung/" in walked["tinh"]
    assert "/ho-so/" in walked["hoidong"] and "/giao-thuong/hoi-mua/" in walked["nguoimua"]
