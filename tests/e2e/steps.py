"""Steps the browser journeys share: signing in, and the office inviting someone from the people page."""

from playwright.sync_api import expect

from ocop.accounts.tests.factories import PASSWORD


def login(page, site, username: str, password: str = PASSWORD) -> None:
    """Sign in afresh (cookies cleared) and wait until the login form is gone."""
    page.context.clear_cookies()
    page.goto(f"{site.url}/tai-khoan/dang-nhap/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main button[type=submit]").click()
    expect(page.locator("input[name=password]")).to_have_count(0)


def invite(page, site, *, email: str, full_name: str, role: str, **places: str) -> None:
    """From the people page, invite `full_name` <`email`> as `role`, choosing e.g. province= or commune= ids."""
    page.goto(f"{site.url}/tai-khoan/nguoi-dung/")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=full_name]").fill(full_name)
    page.locator("select[name=role]").select_option(role)
    for name, value in places.items():
        page.locator(f"select[name={name}]").select_option(value)
    page.get_by_role("button", name="Gửi lời mời").click()
    expect(page.locator(".messages")).to_be_visible()
