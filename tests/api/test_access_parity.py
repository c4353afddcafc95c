"""The API and the UI's door (`open_person`) give the same answer and write the same audit entries.

For a set of role × relation cases: the API's retrieve status, the list's membership,
and the audit outcome all agree with what `open_person` decides for the same user and
person. Each case also states the expected answer, so a change in the policy that the
API did not follow (or the other way round) fails here.
"""

import datetime

import pytest
from django.utils import timezone

from jobbtorg.access.services import open_person
from jobbtorg.accounts.models import User
from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.audit.services import Actor
from jobbtorg.core.errors import AccessDenied
from jobbtorg.people.models import Person
from jobbtorg.testing import factories as f

from .conftest import token_client

pytestmark = pytest.mark.django_db


def _coach_own_caseload() -> tuple[User, Person]:
    coach = f.UserFactory(coach=True)
    person = f.PersonFactory()
    f.ParticipationFactory(person=person, coach=coach, enrolled=True)
    return coach, person


def _coach_same_unit() -> tuple[User, Person]:
    coach = f.UserFactory(coach=True)
    person = f.PersonFactory()
    f.ParticipationFactory(person=person, coach=f.UserFactory(coach=True), enrolled=True)
    return coach, person


def _coach_other_unit() -> tuple[User, Person]:
    coach = f.UserFactory(coach=True)
    person = f.PersonFactory()
    f.ParticipationFactory(person=person, unit=f.unit("vasterort"), enrolled=True)
    return coach, person


def _coach_substitute() -> tuple[User, Person]:
    """Issue 8 item 6: a unit colleague's participant, reached as that colleague's named substitute."""
    from jobbtorg.access.testing import stand_in

    coach, absent = f.UserFactory(coach=True), f.UserFactory(coach=True)
    person = f.PersonFactory()
    f.ParticipationFactory(person=person, coach=absent, enrolled=True)
    stand_in(coach, absent)
    return coach, person


def _coach_same_unit_protected() -> tuple[User, Person]:
    coach = f.UserFactory(coach=True)
    person = f.PersonFactory(protected=True)
    f.ParticipationFactory(person=person, coach=f.UserFactory(coach=True), enrolled=True)
    return coach, person


def _coach_own_caseload_protected() -> tuple[User, Person]:
    coach = f.UserFactory(coach=True)
    person = f.PersonFactory(protected=True)
    f.ParticipationFactory(person=person, coach=coach, enrolled=True)
    return coach, person


def _coach_closed_long_ago() -> tuple[User, Person]:
    coach = f.UserFactory(coach=True)
    person = f.PersonFactory()
    today = timezone.localdate()
    f.ParticipationFactory(
        person=person,
        coach=coach,
        closed=True,
        referred_on=today - datetime.timedelta(days=900),
        arrived_on=today - datetime.timedelta(days=880),
        closed_on=today - datetime.timedelta(days=700),
    )
    return coach, person


def _social_worker_own_district() -> tuple[User, Person]:
    return f.UserFactory(social_worker=True), f.PersonFactory(home_district=f.district("rinkeby-kista"))


def _social_worker_other_district() -> tuple[User, Person]:
    return f.UserFactory(social_worker=True), f.PersonFactory(home_district=f.district("bromma"))


def _provider_running_activity() -> tuple[User, Person]:
    staff = f.UserFactory(provider_staff=True)
    activity = f.ActivityFactory(provider=staff.provider)
    return staff, activity.participation.person


def _provider_other_provider() -> tuple[User, Person]:
    staff = f.UserFactory(provider_staff=True)
    activity = f.ActivityFactory(provider=f.ProviderFactory())
    return staff, activity.participation.person


def _matcher_open_participation() -> tuple[User, Person]:
    matcher = f.UserFactory(matcher=True)
    person = f.PersonFactory()
    f.ParticipationFactory(person=person, unit=f.unit("sydost"), enrolled=True)
    return matcher, person


def _no_identity_role(role: str):
    def build() -> tuple[User, Person]:
        # The person is in the role's own district and caseload-like places: still refused.
        person = f.PersonFactory(home_district=f.district("rinkeby-kista"))
        f.ParticipationFactory(person=person, enrolled=True)
        return f.UserFactory(**{role: True}), person

    return build


def _named_on_protected_analyst() -> tuple[User, Person]:
    analyst = f.UserFactory(analyst=True)
    person = f.PersonFactory(protected=True)
    person.contact_grants.add(analyst)
    return analyst, person


CASES = {
    "coach/own caseload": (_coach_own_caseload, True),
    "coach/same unit": (_coach_same_unit, False),  # issue 8 item 6: own caseload, not the unit
    "coach/substitute": (_coach_substitute, True),
    "coach/other unit": (_coach_other_unit, False),
    "coach/same unit, protected": (_coach_same_unit_protected, False),
    "coach/own caseload, protected": (_coach_own_caseload_protected, True),
    "coach/closed long ago": (_coach_closed_long_ago, False),
    "social worker/own district": (_social_worker_own_district, True),
    "social worker/other district": (_social_worker_other_district, False),
    "provider/running activity": (_provider_running_activity, True),
    "provider/other provider": (_provider_other_provider, False),
    "matcher/open participation": (_matcher_open_participation, True),
    "analyst": (_no_identity_role("analyst"), False),
    "hr": (_no_identity_role("hr"), False),
    "sysadmin": (_no_identity_role("sysadmin"), False),
    "analyst named on protected": (_named_on_protected_analyst, False),
}


def _ui_answer(user: User, person: Person) -> bool:
    actor = Actor(user_id=user.pk, username=user.username, role=user.role, client_address="127.0.0.1")
    try:
        open_person(user, actor, person.pk, "personsida")
    except AccessDenied:
        return False
    return True


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_api_and_open_person_agree(case):
    build, expected = CASES[case]
    user, person = build()
    client = token_client(user)

    ui = _ui_answer(user, person)
    ui_entry = AuditEntry.objects.filter(user_id=user.pk).latest("id")

    response = client.get(f"/api/v1/persons/{person.pk}/")
    api_entry = AuditEntry.objects.filter(user_id=user.pk).latest("id")

    assert ui is expected
    assert response.status_code == (200 if expected else 404)
    if not expected:
        assert response.json() == {"detail": "Hittades inte."}
    # The same audit entry, apart from the 'what'.
    assert api_entry.pk != ui_entry.pk
    for name in ("action", "outcome", "person_id", "acting_role", "flagged", "client_address"):
        assert getattr(api_entry, name) == getattr(ui_entry, name), name
    assert api_entry.action == Action.READ
    assert api_entry.outcome == (Outcome.ALLOWED if expected else Outcome.REFUSED)

    listed = client.get("/api/v1/persons/", {"limit": 500}).json()["results"]
    assert (person.pk in {p["id"] for p in listed}) is expected
    searched = client.get("/api/v1/persons/", {"q": person.personnummer}).json()["results"]
    assert [p["id"] for p in searched] == ([person.pk] if expected else [])
    if expected:
        assert AuditEntry.objects.filter(user_id=user.pk, person_id=person.pk, action=Action.SEARCH).count() == 1
    else:
        # Nothing shown, nothing listed: no list or search entry about the person.
        assert not AuditEntry.objects.filter(person_id=person.pk, action__in=[Action.LIST, Action.SEARCH]).exists()
