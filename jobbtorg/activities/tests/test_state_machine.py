"""The activity as a state machine (DOMAIN §4.5: every activity is time-limited and followed up;
ADR 0014): the table walked per role and status, the services refusing what it lacks, and the
activity page offering exactly the steps it allows."""

import pytest
from django.urls import reverse

from jobbtorg.accounts.models import Role
from jobbtorg.activities import rules, services
from jobbtorg.activities.models import ActivityStatus, CatalogueItem
from jobbtorg.activities.rules import Step
from jobbtorg.activities.tests.helpers import actor_for, client_for, days, new_activity
from jobbtorg.core.errors import DomainError
from jobbtorg.participations import services as participations
from jobbtorg.participations.rules import Outcome
from jobbtorg.participations.tests.fixtures import actor_for as participation_actor
from jobbtorg.testing import factories as f
from jobbtorg.testing.capabilities import permits, user_at

OPEN_STEPS = {Step.EDIT: ActivityStatus.OPEN, Step.CONTINUE: ActivityStatus.OPEN, Step.REPLACE: ActivityStatus.REPLACED,
              Step.END: ActivityStatus.ENDED}  # fmt: skip


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("status", ActivityStatus.values)
def test_only_a_coach_takes_steps_and_only_on_an_open_activity(role, status):
    expected = set(OPEN_STEPS) if role == Role.COACH and status == ActivityStatus.OPEN else set()
    coach_at_unit = user_at(role, unit_id=1)
    assert set(rules.allowed_steps(status, permits(coach_at_unit, "activities", unit_id=1, coach_id=None))) == expected


@pytest.mark.parametrize("status", ActivityStatus.values)
@pytest.mark.parametrize("step", list(Step))
def test_every_pair_outside_the_table_is_refused_in_swedish(status, step):
    if status == ActivityStatus.OPEN:
        expected = OPEN_STEPS.get(step, ActivityStatus.ENDED)  # END_AT_CLOSURE ends it too
        assert rules.next_status(status, step) == expected
        return
    with pytest.raises(DomainError) as refused:
        rules.next_status(status, step)
    assert refused.value.messages[0] in ("Insatsen är avslutad och kan inte ändras.", "Insatsen är redan avslutad.")


def test_the_statuses_of_the_table_are_the_model_statuses():
    assert {rules.OPEN, rules.ENDED, rules.REPLACED} == set(ActivityStatus.values)
    assert {step.capability for step in rules.TRANSITIONS.values()} <= set(rules.CAPABILITIES)


def _take(coach, activity, step):
    actor = actor_for(coach)
    if step == Step.EDIT:
        return services.update_activity(coach, actor, activity, services.ActivityData(activity.catalogue_item, days(-30), days(40)),
                                        activity.version)  # fmt: skip
    successor = None
    if step == Step.REPLACE:
        successor = services.ActivityData(CatalogueItem.objects.get(name="Praktik som första steg till ett arbete"), days(1), days(30))
    data = services.FollowUpData(followed_up_on=days(0), result="Resultatet.", decision=step,
                                 new_end_date=days(40) if step == Step.CONTINUE else None, successor=successor)  # fmt: skip
    return services.follow_up(coach, actor, activity, data, activity.version)


@pytest.mark.django_db
@pytest.mark.parametrize("step", list(OPEN_STEPS))
def test_the_services_take_each_step_from_open_and_refuse_it_afterwards(coach, participation, item, step):
    activity = new_activity(coach, participation, item, start=-30, end=10)
    _take(coach, activity, step)
    activity.refresh_from_db()
    assert activity.status == OPEN_STEPS[step]
    ended = new_activity(coach, participation, item, start=-30, end=10)
    _take(coach, ended, Step.END)
    ended.refresh_from_db()
    with pytest.raises(DomainError):
        _take(coach, ended, step)


@pytest.mark.django_db
def test_the_participations_closure_takes_the_end_at_closure_step(coach, participation, item):
    """DOMAIN §7: an avslut ends every running activity of the participation."""
    activity = new_activity(coach, participation, item, start=-30, end=10)
    participations.close(coach, participation_actor(coach), participation.pk, version=participation.version, closed_on=days(0),
                         outcome=Outcome(reason="moved"), end_activities=services.end_activities_at_closure)  # fmt: skip
    activity.refresh_from_db()
    assert (activity.status, activity.closed_on) == (ActivityStatus.ENDED, days(0))


@pytest.mark.django_db
def test_the_page_offers_exactly_the_allowed_steps(coach, participation, item, social_worker):
    activity = new_activity(coach, participation, item, start=-30, end=10)
    edit, followup = reverse("activities:edit", args=[activity.pk]), reverse("activities:followup", args=[activity.pk])
    detail = reverse("activities:detail", args=[activity.pk])
    html = client_for(coach).get(detail).content.decode()
    assert f'href="{edit}"' in html and f'href="{followup}"' in html
    form = client_for(coach).get(followup).content.decode()
    assert all(f'value="{step}"' in form for step in (Step.CONTINUE, Step.REPLACE, Step.END))
    # The home district's social worker reads the activity but takes no step.
    other = client_for(social_worker).get(detail)
    assert other.status_code == 200
    assert edit not in other.content.decode() and followup not in other.content.decode()
    _take(coach, activity, Step.END)
    html = client_for(coach).get(detail).content.decode()
    assert edit not in html and followup not in html


@pytest.mark.django_db
def test_another_units_coach_is_offered_nothing(participation, coach, item):
    activity = new_activity(coach, participation, item)
    stranger = f.UserFactory(coach=True, jobbtorg_unit=f.unit("sydost"))
    assert services.allowed_steps(stranger, activity) == []
