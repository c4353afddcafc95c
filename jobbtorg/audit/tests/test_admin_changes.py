"""Issue 8 items 2 and 4: the log review's "Ändringar av användare och behörigheter".

Who changed whom, what, old → new, when, newest first, paginated, with a CSV twin; the
protection-level changes of item 2 are in the same list. Open to the reviewers only (system
administrator: everything; unit manager: the own unit's staff and persons).
"""

import csv
import io

import pytest
from django.urls import reverse

from jobbtorg.accounts.audit import acting
from jobbtorg.accounts.models import Role
from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.audit.services import Actor, record
from jobbtorg.audit.views import PAGE_SIZE
from jobbtorg.people import services as person_services
from jobbtorg.people.models import ProtectionLevel
from jobbtorg.testing import factories as f

from .helpers import login

# The list reads entries by period; on PostgreSQL their time is the database's (conftest.database_clock).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_clock")]

URL = "/logg/behorigheter/"
REASON = "Skatteverket har tagit bort skyddet enligt beslut."


def actor(user) -> Actor:
    return Actor(user_id=user.pk, username=user.username, role=user.role)


def listed(response) -> list[AuditEntry]:
    return list(response.context["page_obj"].object_list)


def test_issue_8_item_4_the_list_is_linked_from_the_log_review(client, sysadmin):
    login(client, sysadmin)
    html = client.get(reverse("audit:index")).content.decode()
    assert html.count(f'href="{URL}"') == 2  # the navigation and the overview
    assert "Ändringar av användare och behörigheter" in html


@pytest.mark.parametrize("trait", ["coach", "hr", "analyst", "social_worker"])
def test_issue_8_item_4_only_reviewers_see_the_list_and_refusals_are_logged(client, trait):
    user = f.UserFactory(**{trait: True})
    login(client, user)
    assert client.get(URL).status_code == 403
    assert client.get(URL + "csv/").status_code == 403
    refused = AuditEntry.objects.filter(user_id=user.pk, outcome=Outcome.REFUSED)
    assert refused.count() == 2


def test_issue_8_item_4_shows_who_changed_whom_old_and_new_and_logs_the_review(client, sysadmin):
    coach = f.UserFactory(coach=True, username="kalle")
    with acting(actor(sysadmin)):
        coach.role = Role.MATCHER
        coach.save()
    login(client, sysadmin)
    response = client.get(URL)
    assert response.status_code == 200
    entry = listed(response)[0]
    assert entry.username == "admin1" and entry.details["user_id"] == coach.pk
    html = response.content.decode()
    assert f"kalle (id {coach.pk})" in html and "roll: Coach → Matchare" in html
    assert "pbkdf2" not in html and "md5$" not in html
    assert AuditEntry.objects.filter(
        user_id=sysadmin.pk, action=Action.READ, what__startswith="Loggranskning: ändringar av användare"
    ).exists()


def test_issue_8_item_2_lowered_protection_is_in_the_list_with_its_reason(client, sysadmin, manager):
    person = f.PersonFactory(protected=True)
    f.ParticipationFactory(person=person, enrolled=True)
    person_services.lower_protection(manager, actor(manager), person, ProtectionLevel.NONE, REASON, 1)
    for reviewer in (sysadmin, manager):
        login(client, reviewer)
        response = client.get(URL)
        (entry,) = [e for e in listed(response) if e.action == Action.ACCESS]
        assert entry.flagged and entry.person_id == person.pk
        html = response.content.decode()
        assert "skyddsnivå: Skyddad folkbokföring → Ingen" in html and REASON in html
        assert person.first_name not in html and person.personnummer_display not in html


def test_issue_8_item_4_unit_manager_sees_the_own_units_staff_only(client, manager, coach, outside_coach, sysadmin):
    with acting(actor(sysadmin)):
        coach.is_active = False
        coach.save()
        outside_coach.is_active = False
        outside_coach.save()
    login(client, manager)
    entries = listed(client.get(URL))
    assert [e.details["user_id"] for e in entries if e.username == "admin1"] == [coach.pk]
    login(client, sysadmin)
    entries = listed(client.get(URL))
    assert {e.details["user_id"] for e in entries if e.username == "admin1"} == {coach.pk, outside_coach.pk}


def test_issue_8_item_4_newest_first_and_paginated(client, sysadmin):
    target = f.UserFactory(coach=True)
    details = {"user_id": target.pk, "username": target.username, "changes": {"is_active": {"old": True, "new": False}}}
    for n in range(PAGE_SIZE + 1):
        record(actor(sysadmin), Action.ADMIN, f"ändring {n}", None, details=details)
    login(client, sysadmin)
    first = client.get(URL)
    assert first.context["page_obj"].paginator.num_pages >= 2
    shown = listed(first)
    assert len(shown) == PAGE_SIZE and shown[0].what == f"ändring {PAGE_SIZE}"
    assert [e.id for e in shown] == sorted((e.id for e in shown), reverse=True)
    assert client.get(URL + "?page=2").status_code == 200


def test_issue_8_item_4_csv_has_one_row_per_changed_field(client, sysadmin):
    coach = f.UserFactory(coach=True, username="kalle")
    with acting(actor(sysadmin)):
        coach.role = Role.MATCHER
        coach.is_active = False
        coach.set_password("Ett-nytt-lösen-1")
        coach.save()
    login(client, sysadmin)
    response = client.get(URL + "csv/")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    mine = [r for r in rows if r[1] == "admin1"]
    fields = {(r[6], r[7], r[8]) for r in mine}
    assert ("roll", "Coach", "Matchare") in fields and ("aktiv", "ja", "nej") in fields
    assert ("lösenord", "–", "ändrat") in fields
    coach.refresh_from_db()
    assert coach.password not in text
    assert AuditEntry.objects.filter(user_id=sysadmin.pk, action=Action.EXPORT).exists()


def test_issue_8_item_4_bad_dates_are_a_400_in_swedish(client, sysadmin):
    login(client, sysadmin)
    response = client.get(URL + "?fran=2026-13-01")
    assert response.status_code == 400
    assert "Ange datumet som ÅÅÅÅ-MM-DD" in response.content.decode()
