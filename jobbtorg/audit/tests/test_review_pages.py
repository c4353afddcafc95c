"""The log review pages: "who has accessed this person", "what has this user
accessed", their date filters, pagination and markup."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from jobbtorg.audit.models import AuditEntry
from jobbtorg.testing import factories as f

from .helpers import at, entry, login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_person")]


def _person_log(client, person_id=42, query="fran=2025-03-01&till=2025-03-31"):
    return client.get(reverse("audit:person_log", kwargs={"person_id": person_id}) + "?" + query)


def _listed(response) -> list[AuditEntry]:
    return list(response.context["page_obj"].object_list)


# --- who has accessed this person -----------------------------------------------


def test_person_log_lists_every_access_to_that_person_newest_first(client, sysadmin, coach):
    first = entry(coach, at("2025-03-02"), person_id=42)
    refused = entry(coach, at("2025-03-05"), person_id=42, allowed=False)
    entry(coach, at("2025-03-03"), person_id=43)  # somebody else
    login(client, sysadmin)

    response = _person_log(client)

    assert _listed(response) == [refused, first]
    page = response.content.decode()
    assert "Nekad" in page and "Tillåten" in page


def test_person_log_period_is_whole_stockholm_days_both_ends_included(client, sysadmin, coach):
    before = entry(coach, at("2025-02-28", "23:59"), person_id=42)
    first_minute = entry(coach, at("2025-03-01", "00:00"), person_id=42)
    last_minute = entry(coach, at("2025-03-31", "23:59"), person_id=42)
    after = entry(coach, at("2025-04-01", "00:00"), person_id=42)
    login(client, sysadmin)

    listed = _listed(_person_log(client))

    assert first_minute in listed and last_minute in listed
    assert before not in listed and after not in listed


def test_person_log_search_explains_a_bad_personnummer_in_swedish(client, sysadmin):
    login(client, sysadmin)

    empty = client.get(reverse("audit:person_log_search") + "?personnummer=&fran=2025-03-01")
    wrong = client.get(reverse("audit:person_log_search") + "?personnummer=19121212-1213&fran=2025-03-01")

    assert empty.status_code == wrong.status_code == 400
    assert "Ange personens personnummer." in empty.content.decode()
    assert "Kontrollsiffran stämmer inte" in wrong.content.decode()
    assert not AuditEntry.objects.filter(what__startswith="loggranskning · sökning").exists()


def test_a_personnummer_nobody_has_is_said_to_the_sysadmin(client, sysadmin):
    login(client, sysadmin)

    response = client.get(reverse("audit:person_log_search") + "?personnummer=19121212-1212")

    assert response.status_code == 200
    assert "Ingen person i Jobbtorg har det personnumret." in response.content.decode()


def test_default_period_is_the_last_thirty_days(client, sysadmin, coach):
    today = timezone.localdate()
    recent = entry(coach, timezone.now() - datetime.timedelta(days=2), person_id=42)
    old = entry(coach, timezone.now() - datetime.timedelta(days=45), person_id=42)
    login(client, sysadmin)

    response = _person_log(client, query="")

    listed = _listed(response)
    assert recent in listed and old not in listed
    form = response.context["form"]
    assert form.period == (today - datetime.timedelta(days=30), today)
    assert f'value="{today.isoformat()}"' in response.content.decode()  # the form shows the period used


def test_from_after_to_is_refused_with_an_error_linked_to_the_field(client, sysadmin):
    login(client, sysadmin)

    response = _person_log(client, query="fran=2025-04-01&till=2025-03-01")

    assert response.status_code == 400
    page = response.content.decode()
    assert "Ange ett till-datum som är samma dag som eller efter från-datumet." in page
    # The message has an id and the field points at it; the summary links to the field.
    assert 'id="id_till_error"' in page
    till_input = re.search(r"<input[^>]*name=\"till\"[^>]*>", page).group(0)
    assert 'aria-describedby="id_till_error"' in till_input
    assert 'aria-invalid="true"' in till_input
    assert 'href="#id_till"' in page
    assert "page_obj" not in response.context or response.context.get("page_obj") is None


def test_a_date_that_is_not_a_date_is_refused_in_swedish(client, sysadmin):
    login(client, sysadmin)

    response = _person_log(client, query="fran=2025-02-30&till=2025-03-01")

    assert response.status_code == 400
    assert "Ange datumet som ÅÅÅÅ-MM-DD" in response.content.decode()


def test_only_from_given_runs_to_today(client, sysadmin):
    login(client, sysadmin)

    response = _person_log(client, query="fran=2025-03-01")

    assert response.context["form"].period == (datetime.date(2025, 3, 1), timezone.localdate())


# --- what has this user accessed ------------------------------------------------


def test_user_log_lists_what_that_user_accessed_in_the_period(client, sysadmin, coach, outside_coach):
    mine = [entry(coach, at("2025-03-10"), person_id=p) for p in (1, 2, 3)]
    entry(outside_coach, at("2025-03-10"), person_id=4)
    entry(coach, at("2025-05-10"), person_id=5)  # outside the period
    login(client, sysadmin)

    response = client.get(reverse("audit:user_log") + "?anvandare=coach1&fran=2025-03-01&till=2025-03-31")

    assert set(_listed(response)) == set(mine)


def test_user_log_without_a_username_shows_the_form_only(client, sysadmin):
    login(client, sysadmin)

    response = client.get(reverse("audit:user_log"))

    assert response.status_code == 200
    assert response.context.get("page_obj") is None
    assert 'for="id_anvandare"' in response.content.decode()


def test_sysadmin_finds_entries_of_background_tasks_by_name(client, sysadmin, database_clock):
    from jobbtorg.audit.services import Actor, record

    record(Actor.system("gallring"), "read", "Gallringskörning", 42)
    login(client, sysadmin)

    response = client.get(reverse("audit:user_log") + "?anvandare=gallring")

    assert len(_listed(response)) == 1


# --- pagination and markup --------------------------------------------------------


def test_lists_are_paginated_fifty_a_page_with_the_filters_in_the_links(client, sysadmin, coach):
    for i in range(120):
        entry(coach, at("2025-03-10") + datetime.timedelta(minutes=i), person_id=42)
    login(client, sysadmin)

    first = _person_log(client)
    last = _person_log(client, query="fran=2025-03-01&till=2025-03-31&page=3")

    assert len(_listed(first)) == 50
    assert len(_listed(last)) == 20
    assert first.context["page_obj"].paginator.count == 120
    page = first.content.decode()
    assert "?fran=2025-03-01&amp;till=2025-03-31&amp;page=2" in page
    assert "Sida 1 av 3" in page


def test_page_is_accessible_markup_and_shows_ids_never_names(client, sysadmin, coach):
    person = f.PersonFactory(protected=True, first_name="Hemlignamn", last_name="Skyddadsson")
    entry(coach, at("2025-03-10"), person_id=person.pk, protected=True)
    login(client, sysadmin)

    page = _person_log(client, person_id=person.pk).content.decode()

    assert "<caption" in page
    assert page.count('<th scope="col">') == 6
    assert 'for="id_fran"' in page and 'for="id_till"' in page
    assert "<script>" not in page and "style=" not in page  # CSP: no inline scripts or styles
    assert "Hemlignamn" not in page and "Skyddadsson" not in page
    assert person.personnummer not in page and person.personnummer[2:8] not in page
    assert "Markerad för granskning" in page


def test_personnummer_written_into_an_entry_by_mistake_is_masked(client, sysadmin, coach):
    entry(coach, at("2025-03-10"), person_id=42, what="Sök: 19121212-1212")
    login(client, sysadmin)

    page = _person_log(client).content.decode()

    assert "19121212" not in page
    assert "[personnummer]" in page


def test_an_empty_result_says_so_and_can_still_be_exported(client, sysadmin):
    login(client, sysadmin)

    pages = [
        _person_log(client).content.decode(),
        client.get(reverse("audit:user_log") + "?anvandare=ingen&fran=2025-03-01&till=2025-03-31").content.decode(),
        client.get(reverse("audit:unusual") + "?typ=manga&fran=2025-03-01&till=2025-03-31").content.decode(),
    ]

    assert "0 loggposter" in pages[0] and "0 loggposter" in pages[1] and "0 timmar" in pages[2]
    assert all("Exportera som CSV" in page for page in pages)
    assert all("<table" not in page for page in pages)
