"""Every demo user logs in and reaches their role's start page (issue 2, part 9)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# username -> (role shown in the header, the page's h1, the heading of the list only that role's
# start page has). The h1s name the demo user's own unit or district (jobbtorg/demo/users.py).
ROLE_START = {
    "admin": ("Systemförvaltare", r"^Välkommen, Lena$", None),
    "coach": ("Coach", r"^Att göra idag$", "Mina deltagare"),
    "coach2": ("Coach", r"^Att göra idag$", "Mina deltagare"),
    "socialsekreterare": ("Socialsekreterare", r"^Rinkeby-Kista: ", "Stadsdelens deltagare"),
    "osa": ("OSA-handläggare", r"^Rinkeby-Kista: ", "Stadsdelens deltagare"),
    "matchare": ("Matchare", r"^Deltagare att matcha$", "Deltagare med pågående deltagande"),
    "anordnare": ("Anordnare", r"^Dagens deltagare$", "Deltagare med insats hos er idag"),
    "chef": ("Enhetschef", r"^Jobbtorg Järva$", "Enhetens deltagare"),
    "analytiker": ("Analytiker", r"^Nyckeltal$", "Per jobbtorg"),
    "hr": ("HR", r"^Välkommen, Anna$", None),
}
NO_PERSON_ACCESS = "Din roll ger ingen åtkomst till uppgifter om enskilda deltagare."


@pytest.mark.parametrize("username", list(ROLE_START))
def test_demo_user_logs_in_and_reaches_their_start_page(page, login, username):
    role, heading, section = ROLE_START[username]
    login(page, username)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(heading))
    expect(page.locator(".user-box__role")).to_have_text(re.compile(rf"^{re.escape(role)}( · .+)?$"))
    if section:
        expect(page.get_by_role("heading", level=2, name=section, exact=True)).to_be_visible()
    else:
        expect(page.locator("main")).to_contain_text(NO_PERSON_ACCESS)


@pytest.mark.parametrize("username", ["coach", "socialsekreterare", "matchare", "chef"])
def test_start_page_lists_people_the_user_works_with(page, as_user, username):
    """The demo population gives these roles people to work with on their first page."""
    as_user(username)
    expect(page.locator("#person-list tbody tr").first).to_be_visible()


def test_swedish_is_the_default_and_english_is_translated(browser, e2e_server, page):
    page.goto("/login/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")

    english = browser.new_context(base_url=e2e_server.url, locale="en-GB")
    try:
        english_page = english.new_page()
        english_page.goto("/login/")
        expect(english_page.locator("html")).to_have_attribute("lang", "en")
        expect(english_page.get_by_role("heading", level=1)).to_have_text("Log in")
        expect(english_page.get_by_label("Username")).to_be_visible()
    finally:
        english.close()


def test_wrong_password_is_refused(page, login):
    login(page, "coach", "fel-lösenord-123")
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.get_by_role("alert")).to_contain_text("Inloggningen misslyckades")


def test_start_page_needs_login(page):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))


def test_logout_ends_the_session(page, login):
    login(page, "coach")
    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
