"""Issue 10 item 4 in the browser: the coach reaches the week's visits from the menu, a visit's
page from the participation, and writes a case note on the person's timeline; axe stays at 0
serious/critical on each page. Only clicks from the start page (no typed URLs)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jobbtorg.core.workdays import add_working_days
from tests.e2e.test_accessibility import assert_accessible

pytestmark = pytest.mark.browser


def test_coach_week_calendar_from_the_menu(page, as_user):
    as_user("coach")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Veckans besök").click()
    expect(page).to_have_url(re.compile(r"/deltaganden/kalender/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile(r"Veckans besök – v\. \d+"))
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Måndag")
    assert_accessible(page, "the coach's week")
    page.get_by_role("link", name=re.compile("Föregående vecka")).click()
    expect(page).to_have_url(re.compile(r"vecka=\d{4}-W\d{2}"))
    assert_accessible(page, "the coach's previous week")


def test_coach_writes_a_case_note_books_and_cancels_a_visit(page, as_user):
    as_user("coach")
    page.locator("#person-list tbody a[href^='/personer/']").first.click()
    expect(page).to_have_url(re.compile(r"/personer/\d+/$"))
    page.get_by_text("Ny journalanteckning").click()
    page.get_by_label("Telefon").check()
    page.get_by_label("Anteckning", exact=True).fill("Ringde om praktikplatsen.")
    page.get_by_role("button", name="Spara anteckningen").click()
    expect(page.locator(".timeline-entry").first).to_contain_text("Journalanteckning · Telefon")
    assert_accessible(page, "person page with a case note")

    page.locator("a[href^='/deltaganden/']").filter(has_text="anvisad").first.click()
    expect(page).to_have_url(re.compile(r"/deltaganden/\d+/$"))
    day = add_working_days(timezone.localdate(), 2)  # browser tests run on the real clock
    page.get_by_text("Boka besökstid").click()
    page.locator("#id_book-appointment_at").fill(f"{day.isoformat()}T15:45")
    page.locator("#id_book-appointment_place").fill("Jobbtorg Järva, rum 2")
    page.get_by_role("button", name="Boka", exact=True).click()
    booked = page.locator(".visit-list li").filter(has_text=f"{day.isoformat()} 15:45")
    booked.get_by_role("link", name=re.compile("Hantera besöket")).click()
    expect(page).to_have_url(re.compile(r"/deltaganden/besok/\d+/"))
    assert_accessible(page, "a visit's page")
    page.get_by_label("Varför ställs besöket in?").fill("Deltagaren har läkartid.")
    page.get_by_role("button", name="Ställ in besöket").click()
    cancelled = page.locator(".visit-list li").filter(has_text=f"{day.isoformat()} 15:45")
    expect(cancelled.locator("del")).to_be_visible()
    expect(cancelled).to_contain_text("Deltagaren har läkartid.")
    assert_accessible(page, "participation page with a cancelled visit")
