"""The participation's state machine as data (DOMAIN §4, §7; ADR 0014): the table walked pair by
pair and role by role, the services refusing every step the table lacks, and the page offering
exactly the steps the table allows the user."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from jobbtorg.accounts.models import Role
from jobbtorg.activities.services import end_activities_at_closure
from jobbtorg.core.errors import AccessDenied, DomainError
from jobbtorg.participations import rules, services
from jobbtorg.participations.models import Status
from jobbtorg.participations.rules import TRANSITIONS, Action, Outcome, allowed_actions, next_status
from jobbtorg.participations.tests.fixtures import actor_for, login
from jobbtorg.testing import factories as f
from jobbtorg.testing.capabilities import permits, user_at

DAY = datetime.timedelta(days=1)
UNIT, DISTRICT = 1, 9

# The specification, written out: what each role may do from each status at its own unit/district.
UNIT_ROLE_STEPS = {
    Status.REFERRED: {Action.ARRIVE: Status.ACTIVE, Action.RETURN_REFERRAL: Status.REFERRED, Action.CLOSE: Status.CLOSED},
    Status.ACTIVE: {Action.INTERRUPT: Status.INTERRUPTED, Action.CLOSE: Status.CLOSED},
    Status.INTERRUPTED: {Action.RESTART: Status.ACTIVE, Action.CLOSE: Status.CLOSED},
    Status.CLOSED: {},
}
# The home district takes its referral back before the person arrived (issue 10 item 5).
DISTRICT_STEPS = {status: {} for status in Status} | {
    Status.REFERRED: {Action.WITHDRAW_REFERRAL: Status.CLOSED},
}
EXPECTED = {
    Role.COACH: UNIT_ROLE_STEPS,
    Role.UNIT_MANAGER: UNIT_ROLE_STEPS,
    Role.SOCIAL_WORKER: DISTRICT_STEPS,
    Role.OSA_OFFICER: {status: {} for status in Status},
    Role.MATCHER: {status: {} for status in Status},
    Role.PROVIDER_STAFF: {status: {} for status in Status},
}


@pytest.mark.parametrize("role", EXPECTED)
@pytest.mark.parametrize("status", Status.values)
def test_each_role_may_take_exactly_the_expected_steps_from_each_status(role, status):
    facts = {"unit_id": UNIT, "home_district_id": DISTRICT, "coach_id": None}
    here = user_at(role, unit_id=UNIT, district_id=DISTRICT)
    assert set(allowed_actions(status, permits(here, "participations", **facts))) == set(EXPECTED[role][status])
    # At another unit and district a role takes no step at all.
    elsewhere = user_at(role, unit_id=2, district_id=8)
    assert allowed_actions(status, permits(elsewhere, "participations", **facts)) == []


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("action", list(Action))
def test_every_pair_outside_the_table_is_refused_in_swedish(status, action):
    expected = (UNIT_ROLE_STEPS[status] | DISTRICT_STEPS[status]).get(action)
    if expected is not None:
        assert next_status(status, action) == expected
        return
    with pytest.raises(DomainError) as refused:
        next_status(status, action)
    assert refused.value.message_dict["non_field_errors"][0].startswith(("Deltagandet", "Deltagaren", "Bara en anvisning", "Anvisningen"))


def test_closed_is_final():
    """DOMAIN §7: an avslut is final; a new referral opens a new participation."""
    assert not any(source == Status.CLOSED for source, _action in TRANSITIONS)
    assert rules.step_error(Status.CLOSED, Action.ARRIVE) == "Deltagandet är avslutat och kan inte ändras."


def test_each_action_needs_one_declared_capability():
    for (_status, action), step in TRANSITIONS.items():
        assert step.capability in rules.CAPABILITIES
        assert rules.capability(action) == step.capability


# --- the services walk the same table ---------------------------------------------------------


def _take(user, p, action, today):
    actor = actor_for(user)
    if action == Action.ARRIVE:
        return services.record_arrival(user, actor, p.pk, version=p.version, arrived_on=today)
    if action == Action.INTERRUPT:
        return services.interrupt(user, actor, p.pk, version=p.version, start=today, reason="illness")
    if action == Action.RESTART:
        return services.restart(user, actor, p.pk, version=p.version, on=today)
    return services.close(user, actor, p.pk, version=p.version, closed_on=today, outcome=Outcome(reason="moved"),
                          end_activities=end_activities_at_closure)  # fmt: skip


SERVICE_ACTIONS = [Action.ARRIVE, Action.INTERRUPT, Action.RESTART, Action.CLOSE]
TRAITS = {Status.REFERRED: "referred", Status.ACTIVE: "enrolled", Status.INTERRUPTED: "interrupted", Status.CLOSED: "closed"}


@pytest.mark.django_db
@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("action", SERVICE_ACTIONS)
def test_the_services_take_allowed_steps_and_refuse_the_others(status, action, coach, today):
    p = f.ParticipationFactory(coach=coach, referred_on=today - 120 * DAY, **{TRAITS[status]: True})
    expected = (UNIT_ROLE_STEPS[status] | DISTRICT_STEPS[status]).get(action)
    if expected is None:
        with pytest.raises(DomainError):
            _take(coach, p, action, today)
        p.refresh_from_db()
        assert p.status == status
    else:
        _take(coach, p, action, today)
        p.refresh_from_db()
        assert p.status == expected


@pytest.mark.django_db
@pytest.mark.parametrize("action", SERVICE_ACTIONS)
def test_a_role_without_the_capability_is_refused_every_step(action, today):
    p = f.ParticipationFactory(interrupted=True, referred_on=today - 120 * DAY)
    social_worker = f.UserFactory(social_worker=True, district=p.home_district)
    with pytest.raises((PermissionDenied, AccessDenied)):
        _take(social_worker, p, action, today)
    p.refresh_from_db()
    assert p.status == Status.INTERRUPTED


# --- the page offers exactly the allowed steps ------------------------------------------------

FORMS = {
    Action.ARRIVE: "participations:arrive",
    Action.INTERRUPT: "participations:interrupt",
    Action.RESTART: "participations:restart",
    Action.CLOSE: "participations:close",
}


@pytest.mark.django_db
@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("role", ["coach", "manager"])
def test_the_page_offers_exactly_the_allowed_steps(client, status, role, coach, manager, today):
    p = f.ParticipationFactory(coach=coach, referred_on=today - 120 * DAY, **{TRAITS[status]: True})
    user = {"coach": coach, "manager": manager}[role]
    html = login(client, user).get(reverse("participations:detail", args=[p.pk])).content.decode()
    offered = {action for action, name in FORMS.items() if f'action="{reverse(name, args=[p.pk])}"' in html or
               f'href="{reverse(name, args=[p.pk])}"' in html}
    assert offered == set(UNIT_ROLE_STEPS[status]) - {Action.RETURN_REFERRAL}


@pytest.mark.django_db
def test_the_close_page_is_refused_once_the_table_has_no_close_step(client, coach, today):
    p = f.ParticipationFactory(coach=coach, closed=True)
    assert login(client, coach).get(reverse("participations:close", args=[p.pk])).status_code == 403
