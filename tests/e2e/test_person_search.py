"""A coach finds a person from the caseload and opens the person page (issue 2, part 9);
a refused or unknown person gives the same "not found" page and nothing more."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NOT_FOUND_HEADING = "Personen finns inte eller så saknar du behörighet"
PERSON_LINKS = "#person-list tbody a[href^='/personer/']"


def _first_caseload_person(page) -> tuple[int, str]:
    """The first person in the coach's own list on the start page: (id, "Efternamn, Förnamn")."""
    expect(page.get_by_role("heading", name="Mina deltagare")).to_be_visible()
    link = page.locator(PERSON_LINKS).first
    expect(link).to_be_visible()
    person_id = int(re.fullmatch(r"/personer/(\d+)/", link.get_attribute("href")).group(1))
    return person_id, link.inner_text().strip()


def _personnummer(e2e_server, person_id: int) -> str:
    """The stored 12-digit personnummer, read from the e2e database (not through the UI under test)."""
    number = e2e_server.query(
        f"from jobbtorg.people.models import Person; print(Person.objects.get(pk={person_id}).personnummer)"
    )
    assert re.fullmatch(r"\d{12}", number), number
    return number


def _search(page, text: str) -> None:
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Sök person").click()
    expect(page).to_have_url(re.compile(r"/personer/sok/$"))
    page.get_by_label("Personnummer eller namn").fill(text)
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page).to_have_url(re.compile(r"/personer/sok/\?q="))


def _open_from_results_and_check(page, person_id: int, name: str, number: str) -> None:
    result = page.locator("#search-results").locator(f"a[href='/personer/{person_id}/']")
    expect(result).to_have_text(name)
    result.click()
    expect(page).to_have_url(re.compile(rf"/personer/{person_id}/$"))
    last, first = (part.strip() for part in name.split(",", 1))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{first} {last}")
    facts = page.locator(".identity__facts")
    # Personnummer shown as ÅÅÅÅMMDD-NNNN, the form staff read aloud and compare with papers.
    expect(facts).to_contain_text(f"{number[:8]}-{number[8:]}")
    expect(facts.get_by_text(re.compile(r"^\d{8}-\d{4}$"))).to_have_count(1)


def test_coach_searches_a_caseload_person_by_name_and_opens_the_person_page(page, as_user, e2e_server):
    as_user("coach")
    person_id, name = _first_caseload_person(page)
    number = _personnummer(e2e_server, person_id)
    _search(page, name)
    _open_from_results_and_check(page, person_id, name, number)


def test_coach_finds_the_same_person_by_ten_digit_personnummer(page, as_user, e2e_server):
    as_user("coach")
    person_id, name = _first_caseload_person(page)
    number = _personnummer(e2e_server, person_id)
    _search(page, f"{number[2:8]}-{number[8:]}")  # ÅÅMMDD-NNNN, as often written on a referral
    results = page.locator("#search-results tbody tr")
    expect(results).to_have_count(1)
    _open_from_results_and_check(page, person_id, name, number)
    # The access log has the search (path only) but never the personnummer typed into it.
    access_log = (e2e_server.log_dir / "gunicorn.log").read_text()
    assert '"GET /personer/sok/"' in access_log
    assert "?q=" not in access_log and f"{number[2:8]}-{number[8:]}" not in access_log
    assert f"{number[2:8]}%2D{number[8:]}" not in access_log and number[2:] not in access_log


def test_refused_person_gives_the_not_found_page_and_reveals_nothing(page, as_user, e2e_server):
    # A real person outside the coach's relations, and an id no person has.
    refused_id, refused_name, refused_number, missing_id = e2e_server.query(
        "from jobbtorg.access.policy import visible_persons\n"
        "from jobbtorg.accounts.models import User\n"
        "from jobbtorg.people.models import Person\n"
        "coach = User.objects.get(username='coach')\n"
        "p = Person.objects.exclude(pk__in=visible_persons(coach).values('pk')).order_by('pk').first()\n"
        "print(p.pk, p.last_name, p.personnummer, Person.objects.order_by('-pk').first().pk + 1000, sep='|')"
    ).split("|")
    as_user("coach")

    response = page.goto(f"/personer/{refused_id}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(NOT_FOUND_HEADING)
    main = page.locator("main")
    expect(main).not_to_contain_text(refused_name)
    expect(main).not_to_contain_text(refused_number[:8])
    assert refused_name not in page.title()
    refused_main = main.inner_text()

    # A person who does not exist gets exactly the same page: the refusal leaks no existence.
    response = page.goto(f"/personer/{missing_id}/")
    assert response.status == 404
    assert main.inner_text() == refused_main

    # Both are in the audit log as refused reads by the coach.
    refused_entries, missing_entries = e2e_server.query(
        "from jobbtorg.audit.models import AuditEntry\n"
        "q = AuditEntry.objects.filter(username='coach', outcome='refused', what='personsida')\n"
        f"print(q.filter(person_id={refused_id}).count(), q.filter(person_id=None).count())"
    ).split()
    assert int(refused_entries) >= 1
    assert int(missing_entries) >= 1


def test_role_without_person_access_cannot_search(page, as_user):
    as_user("analytiker")
    nav = page.get_by_role("navigation", name="Huvudmeny")
    expect(nav.get_by_role("link", name="Sök person")).to_have_count(0)
    response = page.goto("/personer/sok/?q=an")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Du kan inte söka personer")
