"""Forms that protect work and pages that fit (issue 10 items 6 and 7), in a real browser.

After a failed submit focus moves to the error summary, whose links move focus to their fields;
an assessment section saves itself while the coach types and says so; every role's start page
fits a 390 px wide phone without sideways scrolling. Screenshots go to JOBBTORG_SHOTS
(default /work/shots/forms) so a person can look at them.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_login_roles import ROLE_START

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("JOBBTORG_SHOTS", "/work/shots/forms"))


def shot(page, name: str) -> None:
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    except OSError:
        pass  # a screenshot is for people to look at; the assertions are the test


@pytest.fixture
def draft_assessment(e2e_server):
    """A draft assessment of one of the demo coach's open participations (made if there is none)."""
    return int(e2e_server.query(
        "from jobbtorg.assessments.models import Assessment;"
        "from jobbtorg.assessments import services;"
        "from jobbtorg.accounts.models import User;"
        "from jobbtorg.participations.models import Participation;"
        "from jobbtorg.audit.services import Actor;"
        "coach = User.objects.get(username='coach');"
        "p = Participation.objects.filter(coach=coach, status='active').order_by('id').first();"
        "a, _ = services.start_draft(coach, Actor(coach.pk, coach.username, coach.role), p.pk);"
        "print(a.pk)"
    ).splitlines()[-1])


def test_failed_submit_focuses_error_summary(page, as_user, draft_assessment, login):
    # A whole-page form: the login form with a wrong password.
    page.goto("/login/")
    page.get_by_label("Användarnamn").fill("coach")
    page.get_by_label("Lösenord").fill("fel-lösenord")
    page.get_by_role("button", name="Logga in", exact=True).click()
    expect(page.locator(".error-summary")).to_be_focused()

    # A section of the assessment, saved with htmx: the section's summary gets focus, and its link the field.
    as_user("coach")
    page.goto(f"/kartlaggning/{draft_assessment}/")
    years = page.locator("#id_utbildning-education_years")
    years.fill("99")  # more years than the instrument allows (at most 30)
    page.get_by_role("button", name="Spara utbildning").click()
    summary = page.locator("#utbildning .error-summary")
    expect(summary).to_be_focused()
    shot(page, "assessment-error-summary")
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_utbildning-education_years")).to_be_focused()


def test_assessment_section_autosaves_while_typing(page, as_user, draft_assessment):
    as_user("coach")
    page.goto(f"/kartlaggning/{draft_assessment}/")
    goals = page.locator("#id_mal-goals")
    expect(goals).to_have_attribute("maxlength", "2000")
    goals.fill("Arbeta som undersköterska inom ett år.")
    state = page.locator("#mal-save-state")
    expect(state).to_have_text(re.compile(r"^Sparad \d\d:\d\d$"), timeout=10_000)
    expect(page.locator("#mal .field__counter")).to_contain_text("38 av 2\u00a0000 tecken")
    shot(page, "assessment-autosaved")
    page.reload()
    expect(page.locator("#id_mal-goals")).to_have_value("Arbeta som undersköterska inom ett år.")


# The innermost elements that reach past the window's right edge, to name the culprit.
WIDER_THAN_WINDOW = """() => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => !Array.from(e.children).some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


@pytest.mark.parametrize("username", list(ROLE_START))
def test_start_pages_fit_390px(page, as_user, username):
    page.set_viewport_size({"width": 390, "height": 844})
    as_user(username)
    page.wait_for_load_state("networkidle")
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    shot(page, f"start-390-{username}")
    wide = page.evaluate(WIDER_THAN_WINDOW) if scroll_width > inner_width else []
    assert scroll_width <= inner_width, f"{username}: the start page is {scroll_width}px wide at {inner_width}px: {wide}"


def test_label_and_value_pairs_on_one_row_or_stacked(page, as_user, e2e_server):
    case_id = e2e_server.query(
        "from jobbtorg.subsidies.models import SubsidyCase;"
        "print(SubsidyCase.objects.filter(participation__unit__code='jarva').order_by('id')"
        ".values_list('pk', flat=True).first())"
    ).splitlines()[-1]
    if case_id == "None":
        pytest.skip("the demo unit has no subsidy case in this population")
    as_user("chef")  # the unit manager reads every case of the unit
    tops = "els => els.map(div => [div.querySelector('dt').getBoundingClientRect().top, div.querySelector('dd').getBoundingClientRect().top])"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/stod/{case_id}/")
    pairs = page.locator("#facts-h + dl.facts > div").evaluate_all(tops)
    assert pairs and all(abs(dt - dd) < 4 for dt, dd in pairs), pairs  # each value starts on its label's row
    shot(page, "subsidy-facts-wide")
    page.set_viewport_size({"width": 390, "height": 844})
    pairs = page.locator("#facts-h + dl.facts > div").evaluate_all(tops)
    assert all(dd > dt for dt, dd in pairs), pairs  # narrow: the value under its label
    shot(page, "subsidy-facts-390")
