"""Automated accessibility check (axe-core) of every page a demo user reaches in
issue 2: no violation with impact "serious" or "critical" (WCAG 2.1 AA rules and
axe's best practices). Violations are printed with the rule, the elements and
axe's help link, so they can be fixed."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.test_login_roles import ROLE_START

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = {"serious", "critical"}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],
}


def _blocking_violations(page) -> list[dict]:
    results = Axe().run(page, options=AXE_OPTIONS)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '').splitlines()[-1:]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def assert_accessible(page, what: str) -> None:
    violations = _blocking_violations(page)
    if violations:
        report = _describe(violations)
        print(f"axe: {what} ({page.url})\n{report}")
        pytest.fail(f"{len(violations)} serious/critical axe violation(s) on {what}:\n{report}", pytrace=False)


def test_login_page(page):
    page.goto("/login/")
    assert_accessible(page, "login page")


def test_login_page_with_errors(page, login):
    login(page, "coach", "fel-lösenord-123")
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, "login page with an error")


@pytest.mark.parametrize("username", list(ROLE_START))
def test_start_page(page, as_user, username):
    as_user(username)
    expect(page).to_have_url(re.compile(r"/$"))
    assert_accessible(page, f"start page of {username}")


def test_search_page_with_results(page, as_user):
    as_user("coach")
    name = page.locator("#person-list tbody a[href^='/personer/']").first.inner_text()
    page.goto("/personer/sok/")
    assert_accessible(page, "empty search page")
    page.get_by_label("Personnummer eller namn").fill(name.split(",")[0])
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.locator("#search-results tbody tr").first).to_be_visible()
    assert_accessible(page, "search page with results")


def test_person_page(page, as_user):
    as_user("coach")
    page.locator("#person-list tbody a[href^='/personer/']").first.click()
    expect(page).to_have_url(re.compile(r"/personer/\d+/$"))
    assert_accessible(page, "person page")


def test_not_found_page(page, as_user):
    as_user("coach")
    page.goto("/personer/999999999/")
    assert_accessible(page, "person not found page")


def test_the_check_can_fail(page):
    """A user-name field stripped of its label must be reported (axe rule "label", critical)."""
    page.goto("/login/")
    page.evaluate("document.querySelector('label[for=id_username]').remove()")
    assert "label" in {v["id"] for v in _blocking_violations(page)}


@pytest.mark.parametrize("path", ["/logg/", "/logg/ovanliga/", "/logg/anvandare/?anvandare=coach", "/logg/person/"])
def test_log_review_pages(page, as_user, path):
    as_user("chef")
    response = page.goto(path)
    assert response.status == 200, f"{path}: {response.status}"
    assert_accessible(page, f"log review {path} as chef")


def test_hr_log_review_from_the_menu(page, as_user):
    """HR reaches an employee's log from the menu (issue 10 item 8): entries in words, grouped per visit."""
    as_user("hr")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Loggranskning").click()
    page.get_by_role("link", name="Vad har den här användaren tittat på").click()
    page.get_by_label("Användarnamn").fill("coach")
    page.get_by_role("button", name="Visa loggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vad har den här användaren tittat på")
    assert "GET /" not in page.content()
    assert_accessible(page, "log review: HR's log of an employee")


def test_manager_refused_for_a_person_outside_her_unit_is_accessible(page, as_user):
    as_user("chef")
    response = page.goto("/logg/person/999999999/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Du får inte granska den här personens logg")
    assert_accessible(page, "log review refusal as chef")
