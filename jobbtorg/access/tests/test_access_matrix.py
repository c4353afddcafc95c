"""The access matrix (issue 2, part 9; issue 8 item 6; DOMAIN §1; LEGAL.md "Who may see what").

Every role is tried against every kind of relation a person can have to it,
through `open_person` — the one door views, API and exports use — and the audit
entry written for the attempt is checked whether it was allowed or refused.

The acting users all sit in the same places: Jobbtorg Järva (coach, matcher,
unit manager), Rinkeby-Kista (social worker, OSA officer) and one provider
(provider staff). `COACH` below is the Järva coach whose caseload "own
caseload" means; when the acting role is coach, it is that coach who looks.
Since issue 8 item 6 a coach sees her own caseload, the caseload of a colleague
she is substitute for today, and persons she holds an unexpired emergency access
to (never a protected identity that way); not the rest of her unit.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import RequestFactory
from django.utils import timezone

from jobbtorg.access.models import EmergencyAccess, Substitution
from jobbtorg.access.policy import check_person, visible_persons
from jobbtorg.access.services import open_person
from jobbtorg.accounts.models import Role, User
from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.audit.services import Actor
from jobbtorg.core.errors import AccessDenied
from jobbtorg.organisation.models import Provider
from jobbtorg.participations.models import Status
from jobbtorg.people.models import Person
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db

OWN_DISTRICT = "rinkeby-kista"  # the social worker's and OSA officer's district
OTHER_DISTRICT = "bromma"  # a district none of the acting users works for
OWN_UNIT = "jarva"  # the coach's, matcher's and unit manager's Jobbtorg
OTHER_UNIT = "vasterort"

ROLES = (
    Role.COACH,
    Role.SOCIAL_WORKER,
    Role.OSA_OFFICER,
    Role.MATCHER,
    Role.PROVIDER_STAFF,
    Role.UNIT_MANAGER,
    Role.ANALYST,
    Role.HR,
    Role.SYSADMIN,
)

Y, N = True, False

# fmt: off
# The rules as a table: relation of the person to the acting user → allowed (Y) or refused (N).
MATRIX: dict[str, tuple[bool, ...]] = {
    #                                    coach  social osa  matcher provider manager analyst hr  sysadmin
    "own_caseload":                      (Y,    N,     N,   Y,      N,       Y,      N,      N,  N),
    "own_caseload_closed_recently":      (Y,    N,     N,   N,      N,       Y,      N,      N,  N),
    "own_caseload_closed_long_ago":      (N,    N,     N,   N,      N,       N,      N,      N,  N),
    "same_unit_other_coach":             (N,    N,     N,   Y,      N,       Y,      N,      N,  N),
    "substitute_for_colleague_today":    (Y,    N,     N,   Y,      N,       Y,      N,      N,  N),
    "substitute_period_ended":           (N,    N,     N,   Y,      N,       Y,      N,      N,  N),
    "substitute_period_not_started":     (N,    N,     N,   Y,      N,       Y,      N,      N,  N),
    "substitute_revoked":                (N,    N,     N,   Y,      N,       Y,      N,      N,  N),
    "substitute_at_other_unit":          (N,    N,     N,   Y,      N,       N,      N,      N,  N),
    "emergency_access_unexpired":        (Y,    N,     N,   Y,      N,       Y,      N,      N,  N),
    "emergency_access_expired":          (N,    N,     N,   Y,      N,       Y,      N,      N,  N),
    "other_unit":                        (N,    N,     N,   Y,      N,       N,      N,      N,  N),
    "own_district_resident":             (N,    Y,     Y,   N,      N,       N,      N,      N,  N),
    "other_district_resident":           (N,    N,     N,   N,      N,       N,      N,      N,  N),
    "open_participation_anywhere":       (N,    N,     N,   Y,      N,       N,      N,      N,  N),
    "own_provider_activity_running":     (N,    N,     N,   Y,      Y,       N,      N,      N,  N),
    "own_provider_activity_ended":       (N,    N,     N,   Y,      N,       N,      N,      N,  N),
    "own_provider_activity_not_started": (N,    N,     N,   Y,      N,       N,      N,      N,  N),
    "other_provider_activity_running":   (N,    N,     N,   Y,      N,       N,      N,      N,  N),
    "own_provider_participation_closed": (N,    N,     N,   N,      N,       N,      N,      N,  N),
    "protected_via_wide_relations":      (N,    N,     N,   N,      N,       N,      N,      N,  N),
    "marked_via_wide_relations":         (N,    N,     N,   N,      N,       N,      N,      N,  N),
    "protected_own_caseload":            (Y,    N,     N,   N,      N,       N,      N,      N,  N),
    "protected_substitute_for_colleague": (Y,   N,     N,   N,      N,       N,      N,      N,  N),
    "protected_emergency_access":        (N,    N,     N,   N,      N,       N,      N,      N,  N),
    "protected_named_staff":             (Y,    Y,     Y,   Y,      Y,       Y,      N,      N,  N),
}
# fmt: on


@dataclass
class World:
    """The fixed cast a scenario hangs a person on."""

    coach: User  # the Järva coach whose caseload "own caseload" means
    provider: Provider  # the provider the provider staff works for

    def actor(self, role: str) -> User:
        if role == Role.COACH:
            return self.coach
        if role == Role.PROVIDER_STAFF:
            return f.UserFactory(provider_staff=True, provider=self.provider)
        return f.UserFactory(**{str(role): True})  # each trait's unit is Järva / Rinkeby-Kista


@pytest.fixture
def world() -> World:
    return World(coach=f.UserFactory(coach=True), provider=f.ProviderFactory())


def _today() -> datetime.date:
    return timezone.localdate()


def _days(n: int) -> datetime.date:
    return _today() + datetime.timedelta(days=n)


def _person(district: str = OTHER_DISTRICT, **kwargs) -> Person:
    return f.PersonFactory(home_district=f.district(district), **kwargs)


def _enrolled(person: Person, unit: str = OWN_UNIT, coach: User | None = None):
    return f.ParticipationFactory(person=person, unit=f.unit(unit), coach=coach, enrolled=True)


def _closed(person: Person, coach: User, days_ago: int, unit: str = OWN_UNIT):
    return f.ParticipationFactory(
        person=person,
        unit=f.unit(unit),
        coach=coach,
        status=Status.CLOSED,
        referred_on=_days(-days_ago - 200),
        arrived_on=_days(-days_ago - 190),
        closed_on=_days(-days_ago),
    )


def _other_coach(unit: str = OWN_UNIT) -> User:
    return f.UserFactory(coach=True, jobbtorg_unit=f.unit(unit))


def _with_activity(person: Person, provider: Provider, start: int, end: int) -> Person:
    participation = _enrolled(person, unit=OTHER_UNIT, coach=_other_coach(OTHER_UNIT))
    f.ActivityFactory(participation=participation, provider=provider, start_date=_days(start), end_date=_days(end))
    return person


def _every_wide_relation(person: Person, w: World) -> Person:
    """Own district, own unit (another coach's caseload), own provider's running activity."""
    participation = _enrolled(person, unit=OWN_UNIT, coach=_other_coach())
    f.ActivityFactory(participation=participation, provider=w.provider, start_date=_days(-3), end_date=_days(3))
    return person


def _own_provider_participation_closed(w: World) -> Person:
    person = _person()
    participation = _closed(person, _other_coach(OTHER_UNIT), days_ago=10, unit=OTHER_UNIT)
    # Activity dates still cover today, but the participation is closed.
    f.ActivityFactory(participation=participation, provider=w.provider, start_date=_days(-20), end_date=_days(10))
    return person


def _colleague_caseload(w: World, *, start: int, end: int, revoked: bool = False, protected: bool = False,
                        unit: str = OWN_UNIT) -> Person:
    """A person in another coach's caseload; `w.coach` is that coach's substitute from start to end (days)."""
    colleague = _other_coach(unit)
    person = _enrolled(_person(protected=protected), unit=unit, coach=colleague).person
    Substitution.objects.create(
        absent_coach=colleague,
        substitute=w.coach,
        unit=f.unit(unit),
        valid_from=_days(start),
        valid_to=_days(end),
        created_by=colleague,
        revoked_at=timezone.now() if revoked else None,
        revoked_by=colleague if revoked else None,
    )
    return person


def _emergency(w: World, *, hours_left: int, protected: bool = False) -> Person:
    """A unit colleague's participant to whom `w.coach` holds an emergency access (row made directly:
    the service would refuse a protected person, which is what the policy must refuse too)."""
    person = _enrolled(_person(protected=protected), coach=_other_coach()).person
    now = timezone.now()
    EmergencyAccess.objects.create(
        user=w.coach, person=person, unit=f.unit(OWN_UNIT), reason="Coachen sjuk, deltagaren ringer",
        granted_at=now - datetime.timedelta(hours=24 - hours_left), expires_at=now + datetime.timedelta(hours=hours_left),
    )
    return person


# Relations that reach the acting coach only through emergency access: her reads are flagged.
EMERGENCY_RELATIONS = {"emergency_access_unexpired"}


def _named(w: World, actor: User) -> Person:
    person = _person(protected=True)
    person.contact_grants.add(actor)
    return person


# Each scenario builds one person with exactly the relation its name says.
SCENARIOS: dict[str, Callable[[World, User], Person]] = {
    "own_caseload": lambda w, a: _enrolled(_person(), coach=w.coach).person,
    "own_caseload_closed_recently": lambda w, a: _closed(_person(), w.coach, days_ago=30).person,
    "own_caseload_closed_long_ago": lambda w, a: _closed(_person(), w.coach, days_ago=400).person,
    "same_unit_other_coach": lambda w, a: _enrolled(_person(), coach=_other_coach()).person,
    "other_unit": lambda w, a: _enrolled(_person(), unit=OTHER_UNIT, coach=_other_coach(OTHER_UNIT)).person,
    "own_district_resident": lambda w, a: _person(OWN_DISTRICT),
    "other_district_resident": lambda w, a: _person(OTHER_DISTRICT),
    "open_participation_anywhere": lambda w, a: (
        f.ParticipationFactory(person=_person("farsta"), unit=f.unit("sydost"), status=Status.REFERRED).person
    ),
    "own_provider_activity_running": lambda w, a: _with_activity(_person(), w.provider, -3, 3),
    "own_provider_activity_ended": lambda w, a: _with_activity(_person(), w.provider, -30, -1),
    "own_provider_activity_not_started": lambda w, a: _with_activity(_person(), w.provider, 1, 30),
    "other_provider_activity_running": lambda w, a: _with_activity(_person(), f.ProviderFactory(), -3, 3),
    "own_provider_participation_closed": lambda w, a: _own_provider_participation_closed(w),
    "protected_via_wide_relations": lambda w, a: _every_wide_relation(_person(OWN_DISTRICT, protected=True), w),
    "marked_via_wide_relations": lambda w, a: _every_wide_relation(_person(OWN_DISTRICT, marked=True), w),
    "protected_own_caseload": lambda w, a: _enrolled(_person(protected=True), coach=w.coach).person,
    "substitute_for_colleague_today": lambda w, a: _colleague_caseload(w, start=-2, end=3),
    "substitute_period_ended": lambda w, a: _colleague_caseload(w, start=-10, end=-1),
    "substitute_period_not_started": lambda w, a: _colleague_caseload(w, start=1, end=10),
    "substitute_revoked": lambda w, a: _colleague_caseload(w, start=-2, end=3, revoked=True),
    "substitute_at_other_unit": lambda w, a: _colleague_caseload(w, start=-2, end=3, unit=OTHER_UNIT),
    "emergency_access_unexpired": lambda w, a: _emergency(w, hours_left=1),
    "emergency_access_expired": lambda w, a: _emergency(w, hours_left=-1),
    "protected_substitute_for_colleague": lambda w, a: _colleague_caseload(w, start=0, end=0, protected=True),
    "protected_emergency_access": lambda w, a: _emergency(w, hours_left=12, protected=True),
    "protected_named_staff": _named,
}

CELLS = [
    pytest.param(relation, role, MATRIX[relation][i], id=f"{relation}-{role}")
    for relation in MATRIX
    for i, role in enumerate(ROLES)
]


def _actor(user: User) -> Actor:
    request = RequestFactory().get("/personer/", REMOTE_ADDR="10.1.2.3")
    request.user = user
    return Actor.from_request(request)


def test_matrix_covers_every_role_and_relation():
    assert set(MATRIX) == set(SCENARIOS)
    assert all(len(row) == len(ROLES) for row in MATRIX.values())
    assert set(ROLES) == set(Role)


@pytest.mark.parametrize(("relation", "role", "allowed"), CELLS)
def test_open_person_follows_the_matrix_and_logs_the_outcome(world, relation, role, allowed):
    user = world.actor(role)
    person = SCENARIOS[relation](world, user)

    if allowed:
        opened, decision = open_person(user, _actor(user), person.pk, "Personsidan")
        assert opened.pk == person.pk and decision.allowed
    else:
        with pytest.raises(AccessDenied):
            open_person(user, _actor(user), person.pk, "Personsidan")

    entry = AuditEntry.objects.get()  # exactly one entry, allowed or refused
    assert entry.person_id == person.pk
    assert entry.user_id == user.pk
    assert entry.username == user.username
    assert entry.acting_role == role
    assert entry.action == Action.READ
    assert entry.what == "Personsidan"
    assert entry.client_address == "10.1.2.3"
    assert entry.outcome == (Outcome.ALLOWED if allowed else Outcome.REFUSED)
    # Refusals, every access to a protected identity and every read under emergency access
    # are flagged for log review.
    emergency = relation in EMERGENCY_RELATIONS and role == Role.COACH
    assert entry.flagged == (person.is_protected or not allowed or emergency)


@pytest.mark.parametrize("role", ROLES)
def test_visible_persons_and_check_person_agree_on_every_relation(world, role):
    # All scenarios in one database: a leak between relations (a join that
    # reaches too far) shows up here even when each cell alone is right.
    user = world.actor(role)
    people = {relation: build(world, user) for relation, build in SCENARIOS.items()}

    visible = set(visible_persons(user).values_list("pk", flat=True))
    column = ROLES.index(role)
    for relation, person in people.items():
        assert (person.pk in visible) == check_person(user, person).allowed, relation
        assert (person.pk in visible) == MATRIX[relation][column], relation
    # A person reached through several participations or activities is listed once.
    assert visible_persons(user).count() == len(visible)


def test_refused_access_is_logged_and_reveals_nothing(world):
    person = _person(OTHER_DISTRICT, marked=True)
    user = world.coach

    with pytest.raises(AccessDenied) as refused:
        open_person(user, _actor(user), person.pk, "Personsidan")

    # The exception carries nothing a view could leak: no name, no number, no id.
    assert refused.value.args == ()
    assert str(refused.value) == ""
    entry = AuditEntry.objects.get()
    assert (entry.outcome, entry.flagged, entry.person_id) == (Outcome.REFUSED, True, person.pk)


def test_unknown_person_is_refused_and_logged_like_any_refusal(world):
    user = world.coach
    missing_id = (Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000

    with pytest.raises(AccessDenied):
        open_person(user, _actor(user), missing_id, "Personsidan")

    entry = AuditEntry.objects.get()
    assert (entry.outcome, entry.flagged, entry.person_id) == (Outcome.REFUSED, True, None)


def test_provider_staff_sees_participant_only_while_activity_runs(world):
    user = world.actor(Role.PROVIDER_STAFF)
    person = _person()
    participation = _enrolled(person, unit=OTHER_UNIT)
    f.ActivityFactory(participation=participation, provider=world.provider, start_date=_days(0), end_date=_days(5))

    assert not check_person(user, person, today=_days(-1)).allowed  # the day before it starts
    assert check_person(user, person, today=_days(0)).allowed  # first day
    assert check_person(user, person, today=_days(5)).allowed  # last day
    assert not check_person(user, person, today=_days(6)).allowed  # the day after it ended


def test_coach_keeps_a_closed_participant_for_follow_up_then_loses_them(world):
    from jobbtorg.access.policy import CLOSED_RELATION_DAYS

    person = _person()
    participation = _closed(person, world.coach, days_ago=0)
    closed_on = participation.closed_on

    last_day = closed_on + datetime.timedelta(days=CLOSED_RELATION_DAYS)
    assert check_person(world.coach, person, today=last_day).allowed
    assert not check_person(world.coach, person, today=last_day + datetime.timedelta(days=1)).allowed


def test_protected_identity_is_not_reached_by_any_wide_relation(world):
    protected = _every_wide_relation(_person(OWN_DISTRICT, protected=True), world)
    ordinary = _every_wide_relation(_person(OWN_DISTRICT), world)
    # The coach's wide relation is an emergency access (issue 8 item 6): held to both.
    for person in (protected, ordinary):
        EmergencyAccess.objects.create(
            user=world.coach, person=person, unit=f.unit(OWN_UNIT), reason="Akut samtal från deltagaren",
            expires_at=timezone.now() + datetime.timedelta(hours=24),
        )

    for role in (Role.COACH, Role.SOCIAL_WORKER, Role.OSA_OFFICER, Role.MATCHER, Role.PROVIDER_STAFF, Role.UNIT_MANAGER):
        user = world.actor(role)
        assert check_person(user, ordinary).allowed, role  # the relations are real ...
        assert not check_person(user, protected).allowed, role  # ... but do not reach a protected identity


@pytest.mark.parametrize("role", [Role.ANALYST, Role.HR, Role.SYSADMIN])
def test_analyst_hr_and_sysadmin_never_see_identities_even_when_named(world, role):
    user = world.actor(role)
    person = _named(world, user)
    ordinary = _person(OWN_DISTRICT)
    ordinary.contact_grants.add(user)

    assert not check_person(user, person).allowed
    assert not check_person(user, ordinary).allowed
    assert not visible_persons(user).exists()


def test_inactive_user_sees_nobody(world):
    person = _enrolled(_person(), coach=world.coach).person
    world.coach.is_active = False

    assert not check_person(world.coach, person).allowed


# --- contact details (address, phone, e-mail) -------------------------------------


def test_contact_details_of_a_protected_person_are_hidden_from_their_own_coach(world):
    person = _enrolled(_person(protected=True), coach=world.coach).person

    decision = check_person(world.coach, person)

    assert decision.allowed
    assert not decision.see_contact_details


@pytest.mark.parametrize("marked", [False, True], ids=["skyddad_folkbokforing", "sekretessmarkering"])
def test_contact_details_of_a_protected_person_are_shown_to_named_staff_only(world, marked):
    kind = {"marked": True} if marked else {"protected": True}
    person = _enrolled(_person(**kind), coach=world.coach).person
    named_coach = _other_coach()
    person.contact_grants.add(named_coach)

    assert check_person(named_coach, person).see_contact_details
    assert not check_person(world.coach, person).see_contact_details


@pytest.mark.parametrize("role", [r for r in ROLES if MATRIX["protected_named_staff"][ROLES.index(r)]])
def test_every_named_role_sees_contact_details_of_a_protected_person(world, role):
    user = world.actor(role)
    person = _named(world, user)

    decision = check_person(user, person)

    assert decision.allowed and decision.see_contact_details


def test_contact_details_of_an_ordinary_person_follow_the_access(world):
    person = _enrolled(_person(), coach=world.coach).person

    assert check_person(world.coach, person).see_contact_details
