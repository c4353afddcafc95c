"""An OSA extension beyond 24 months is refused without an individual review (issue 4, part 4),
in real Chromium against the real server: the Swedish error is shown by the field, nothing is
saved; once the review is recorded the same extension goes through."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _periods(e2e_server, case_id: int) -> str:
    return e2e_server.query(
        f"from jobbtorg.osa.models import OsaPeriod; print(OsaPeriod.objects.filter(case_id={case_id}).count())"
    )


def test_osa_extension_refused_beyond_24_months_until_individual_review(e2e_server, as_user):
    case_id = int(e2e_server.manage("seed_osa_demo").strip().splitlines()[-1])
    assert _periods(e2e_server, case_id) == "3"  # 6 + 12 + 6 = 24 months

    page = as_user("osa")
    page.goto(f"/osa/{case_id}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("OSA-anställning")
    expect(page.locator("#total-months")).to_contain_text("24 månader")

    extension = page.locator("form[action$='/forlangning/']")
    extension.get_by_label("Förläng med").select_option("12")
    extension.get_by_role("button", name="Förläng anställningen").click()

    error = page.locator(".field__error", has_text="mer än 24")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Registrera en individuell prövning")
    expect(page.get_by_role("alert").filter(has_text="Rätta felen nedan")).to_be_visible()
    expect(page.locator("#total-months")).to_contain_text("24 månader")
    assert _periods(e2e_server, case_id) == "3"  # nothing saved

    review = page.locator("form[action$='/provning/']")
    # The review is a decision (issue 10 item 9): the officer who records it decides, with an outcome.
    review.get_by_label("Anställningen får förlängas utöver 24 månader").check()
    review.get_by_label("Motivering").fill("Behöver ett år till med stöd för att gå vidare till arbete på öppna marknaden.")
    review.get_by_role("button", name="Registrera beslutet").click()
    expect(page.get_by_role("status").filter(has_text="Den individuella prövningen är registrerad")).to_be_visible()

    extension = page.locator("form[action$='/forlangning/']")
    extension.get_by_label("Förläng med").select_option("12")
    extension.get_by_role("button", name="Förläng anställningen").click()
    expect(page.get_by_role("status").filter(has_text="Förlängningen är registrerad")).to_be_visible()
    expect(page.locator("#total-months")).to_contain_text("36 månader")
    expect(page).to_have_url(re.compile(rf"/osa/{case_id}/$"))
    assert _periods(e2e_server, case_id) == "4"


    # The state machine (ADR 0014): once the employment is ended, the page offers no step at all.
    end = page.locator("form[action$='/avsluta/']")
    end.get_by_label("Varför avslutas anställningen").select_option("other_employment")
    end.get_by_role("button", name="Avsluta OSA-anställningen").click()
    expect(page.get_by_role("status").filter(has_text="OSA-anställningen är avslutad.")).to_be_visible()
    expect(page.locator(f"form[action^='/osa/{case_id}/']")).to_have_count(0)
    expect(page.get_by_text("Övergång till annan anställning")).to_be_visible()
