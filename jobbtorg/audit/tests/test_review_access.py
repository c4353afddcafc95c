"""Who may review the log (LEGAL.md: log review is the unit manager's duty):
the system administrator sees everything, a unit manager the entries of their
own Jobbtorg unit's users, HR an employee's log only, everybody else is refused and the
refusal logged."""

import pytest
from django.urls import reverse

from jobbtorg.accounts.models import Role
from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.testing import factories as f

from .helpers import at, entry, login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_person")]

PERIOD = "fran=2025-03-01&till=2025-03-31"

# The whole review (audit.review): the system administrator and unit managers.
PERSON_URLS = [
    ("audit:person_log_search", {}, ""),
    ("audit:person_log", {"person_id": 42}, PERIOD),
    ("audit:person_log_csv", {"person_id": 42}, PERIOD),
    ("audit:unusual", {}, PERIOD),
    ("audit:unusual_csv", {}, "typ=manga&" + PERIOD),
]
# An employee's log (audit.staff_log): also HR.
STAFF_URLS = [
    ("audit:index", {}, ""),
    ("audit:user_log", {}, "anvandare=coach1&" + PERIOD),
    ("audit:user_log_csv", {}, "anvandare=coach1&" + PERIOD),
]
REVIEW_URLS = PERSON_URLS + STAFF_URLS
NOT_REVIEWERS = [Role.COACH, Role.SOCIAL_WORKER, Role.OSA_OFFICER, Role.MATCHER, Role.PROVIDER_STAFF, Role.ANALYST, Role.HR]
NOT_STAFF_LOG = [r for r in NOT_REVIEWERS if r != Role.HR]


def _url(name, kwargs, query):
    return reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")


@pytest.mark.parametrize("role", NOT_REVIEWERS)
@pytest.mark.parametrize(("name", "kwargs", "query"), PERSON_URLS, ids=[u[0] for u in PERSON_URLS])
def test_only_sysadmin_and_unit_manager_may_review_and_refusals_are_logged(client, role, name, kwargs, query):
    user = f.UserFactory(**{str(role): True})
    entry(f.UserFactory(coach=True), at("2025-03-10"), person_id=42)  # something that could leak
    login(client, user)

    response = client.get(_url(name, kwargs, query))

    assert response.status_code == 403
    assert b"Personsidan" not in response.content  # the 403 page shows nothing of the log
    refusal = AuditEntry.objects.filter(user_id=user.pk).get()
    assert refusal.outcome == Outcome.REFUSED
    assert refusal.flagged
    assert refusal.acting_role == role
    assert refusal.what.startswith("Loggranskning")
    assert refusal.person_id == kwargs.get("person_id")


@pytest.mark.parametrize("role", NOT_STAFF_LOG)
@pytest.mark.parametrize(("name", "kwargs", "query"), STAFF_URLS, ids=[u[0] for u in STAFF_URLS])
def test_only_reviewers_and_hr_may_read_an_employees_log_and_refusals_are_logged(client, role, name, kwargs, query):
    user = f.UserFactory(**{str(role): True})
    entry(f.UserFactory(coach=True), at("2025-03-10"), person_id=42)
    login(client, user)

    response = client.get(_url(name, kwargs, query))

    assert response.status_code == 403
    assert b"Personsidan" not in response.content
    refusal = AuditEntry.objects.filter(user_id=user.pk).get()
    assert (refusal.outcome, refusal.flagged, refusal.acting_role) == (Outcome.REFUSED, True, role)
    assert refusal.what.endswith("· audit.staff_log")


def test_sysadmin_role_is_needed_not_the_superuser_flag(client):
    superuser_coach = f.UserFactory(coach=True, is_staff=True, is_superuser=True)
    login(client, superuser_coach)

    assert client.get(reverse("audit:index")).status_code == 403


@pytest.mark.parametrize(("name", "kwargs", "query"), REVIEW_URLS, ids=[u[0] for u in REVIEW_URLS])
def test_anonymous_visitor_is_sent_to_login(client, name, kwargs, query):
    response = client.get(_url(name, kwargs, query))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(("name", "kwargs", "query"), REVIEW_URLS, ids=[u[0] for u in REVIEW_URLS])
@pytest.mark.parametrize("reviewer", ["sysadmin", "manager"])
def test_reviewers_reach_every_review_page(client, request, reviewer, name, kwargs, query):
    login(client, request.getfixturevalue(reviewer))

    assert client.get(_url(name, kwargs, query)).status_code == 200


def test_unit_manager_sees_entries_of_own_unit_users_only(client, manager, coach, outside_coach):
    entry(coach, at("2025-03-10"), person_id=42, what="Personsidan (egen enhet)")
    entry(outside_coach, at("2025-03-11"), person_id=42, what="Personsidan (annan enhet)")
    login(client, manager)

    page = client.get(_url("audit:person_log", {"person_id": 42}, PERIOD)).content.decode()

    assert "Personsidan (egen enhet)" in page
    assert "Personsidan (annan enhet)" not in page


def test_unit_manager_can_not_read_another_units_user_by_name(client, manager, outside_coach):
    entry(outside_coach, at("2025-03-11"), person_id=42, what="Personsidan (annan enhet)")
    login(client, manager)

    response = client.get(_url("audit:user_log", {}, "anvandare=coach9&" + PERIOD))

    assert response.status_code == 200
    assert "Personsidan (annan enhet)" not in response.content.decode()
    assert response.context["page_obj"].paginator.count == 0


def test_unit_manager_without_a_unit_sees_nothing(client, coach):
    manager = f.UserFactory(role=Role.UNIT_MANAGER, jobbtorg_unit=None)
    entry(coach, at("2025-03-10"), person_id=42)
    entry(f.UserFactory(role=Role.ANALYST), at("2025-03-10"), person_id=42)  # another user without a unit
    login(client, manager)

    person = client.get(_url("audit:person_log", {"person_id": 42}, PERIOD))
    user = client.get(_url("audit:user_log", {}, "anvandare=coach1&" + PERIOD))

    assert person.status_code == 403  # no unit: no person of hers
    assert user.context["page_obj"].paginator.count == 0


def test_sysadmin_sees_every_unit(client, sysadmin, coach, outside_coach):
    entry(coach, at("2025-03-10"), person_id=42)
    entry(outside_coach, at("2025-03-11"), person_id=42)
    login(client, sysadmin)

    response = client.get(_url("audit:person_log", {"person_id": 42}, PERIOD))

    assert response.context["page_obj"].paginator.count == 2


def test_looking_at_a_persons_log_is_itself_logged(client, manager):
    login(client, manager)

    client.get(_url("audit:person_log", {"person_id": 42}, PERIOD))

    review = AuditEntry.objects.get(user_id=manager.pk)
    assert (review.action, review.person_id, review.outcome) == (Action.READ, 42, Outcome.ALLOWED)
    assert review.acting_role == Role.UNIT_MANAGER
    assert "Loggranskning" in review.what
