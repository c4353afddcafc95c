"""Issue 8 item 6 in real Chromium: a coach does not reach a colleague's participant, takes
emergency access (nödåtkomst) from the not-found page with a stated reason, and the unit
manager signs it off in her list."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NOT_FOUND_HEADING = "Personen finns inte eller så saknar du behörighet"
REASON = "Daniel är sjuk i dag och deltagaren har ringt om en akut fråga om sin praktik."


def _colleagues_participant(e2e_server) -> tuple[int, str, str]:
    """A participant in `coach2`'s caseload that `coach` does not see: (id, personnummer, last name)."""
    person_id, number, last_name = e2e_server.query(
        "from jobbtorg.access.policy import visible_persons\n"
        "from jobbtorg.accounts.models import User\n"
        "from jobbtorg.people.models import Person\n"
        "coach, coach2 = User.objects.get(username='coach'), User.objects.get(username='coach2')\n"
        "p = (Person.objects.filter(participations__coach=coach2, participations__status='active', protection_level='none')\n"
        "     .exclude(pk__in=visible_persons(coach).values('pk')).order_by('pk').first())\n"
        "print(p.pk, p.personnummer, p.last_name, sep='|')"
    ).split("|")
    return int(person_id), number, last_name


def test_coach_takes_emergency_access_and_the_manager_signs_it(page, as_user, e2e_server):
    person_id, number, last_name = _colleagues_participant(e2e_server)

    as_user("coach")
    response = page.goto(f"/personer/{person_id}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(NOT_FOUND_HEADING)
    expect(page.locator("main")).not_to_contain_text(last_name)

    page.get_by_role("link", name="Begär nödåtkomst").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nödåtkomst")
    page.get_by_label("Personnummer").fill(f"{number[:8]}-{number[8:]}")
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.locator("main")).to_contain_text(last_name)

    page.get_by_role("button", name="Nödåtkomst", exact=True).click()  # no reason yet
    expect(page.locator(".error-summary")).to_contain_text("Ange skälet till nödåtkomsten.")
    page.get_by_label("Skäl till nödåtkomst").fill(REASON)
    page.get_by_role("button", name="Nödåtkomst", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/personer/{person_id}/$"))
    expect(page.locator("main")).to_contain_text("Du har nödåtkomst till personen i 24 timmar")

    page.context.clear_cookies()
    as_user("chef")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Nödåtkomster").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nödåtkomster att signera")
    row = page.locator("#emergency-list tbody tr").filter(has_text=REASON)
    expect(row).to_have_count(1)
    row.get_by_role("button", name=re.compile("^Signera")).click()
    expect(page.locator("main")).to_contain_text("Nödåtkomsten är signerad.")
    expect(page.locator("#emergency-list tbody tr").filter(has_text=REASON)).to_contain_text("Karin Sundberg")

    signed_by, flagged = e2e_server.query(
        "from jobbtorg.access.models import EmergencyAccess\n"
        "from jobbtorg.audit.models import AuditEntry\n"
        f"a = EmergencyAccess.objects.get(person_id={person_id}, user__username='coach')\n"
        f"print(a.signed_by.username, AuditEntry.objects.filter(action='access', person_id={person_id}, flagged=True).count())"
    ).split()
    assert signed_by == "chef" and int(flagged) >= 1
