"""Issue 8 items 2 and 4 in the browser: the protection-level page (reached from the person
page) and the log review's list of changes of users and rights pass the axe check."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibility import assert_accessible

pytestmark = pytest.mark.browser


def test_issue_8_item_2_protection_page_from_the_person_page(page, as_user):
    as_user("coach")
    page.locator("#person-list tbody a[href^='/personer/']").first.click()
    page.get_by_role("link", name="Ändra skyddsnivå").click()
    expect(page).to_have_url(re.compile(r"/personer/\d+/skyddsniva/$"))
    expect(page.get_by_role("heading", name="Höj skyddsnivån")).to_be_visible()
    assert_accessible(page, "protection level page")


def test_issue_8_item_4_changes_of_users_and_rights(page, as_user):
    as_user("chef")
    page.goto("/logg/")
    page.get_by_role("navigation", name="Loggranskning").get_by_role(
        "link", name="Ändringar av användare och behörigheter"
    ).click()
    expect(page).to_have_url(re.compile(r"/logg/behorigheter/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ändringar av användare och behörigheter")
    assert_accessible(page, "changes of users and rights")
