"""Issue 8 item 12: registering history after the fact gives the same deadlines.

An arrival and interruptions registered months after they happened (a late entry, a data
migration) must give the deadlines that registering each event on its own day gives: the same
due dates, the same pauses, and the same state — overdue when the 18 months have passed.
Each history is entered twice through the services the web form and the API call: once with the
clock travelled to each event's day, once all at once on a later day.
"""

import datetime as dt

import pytest

from jobbtorg.deadlines import services as deadline_services
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import Kind
from jobbtorg.deadlines.selectors import worklist
from jobbtorg.participations import selectors, services
from jobbtorg.participations.models import Participation
from jobbtorg.participations.tests.fixtures import actor_for
from jobbtorg.testing import factories as f
from jobbtorg.testing.clock import on as at

pytestmark = pytest.mark.django_db

REFERRED = dt.date(2025, 1, 2)
# Arrival, 42 days of illness, then 28 days of parental leave more than a year later.
HISTORY = [
    ("arrive", dt.date(2025, 1, 13)),
    ("interrupt", dt.date(2025, 3, 3)),
    ("restart", dt.date(2025, 4, 14)),
    ("interrupt", dt.date(2026, 5, 4)),
    ("restart", dt.date(2026, 6, 1)),
]
# 18 months from the arrival is 2026-07-13, 70 days of interruption later: 2026-09-21.
LIMIT = dt.date(2026, 9, 21)
WARNING = dt.date(2026, 8, 22)  # 17 months (2026-06-13) + 70 days
LATER = dt.date(2026, 11, 25)  # the day the whole history is entered at once, and the day we look


@pytest.fixture
def coach(db):
    return f.UserFactory(coach=True)


def new_participation(coach) -> Participation:
    return f.ParticipationFactory(referred=True, coach=coach, referred_on=REFERRED)


def register(coach, participation: Participation, event: str, day: dt.date) -> None:
    participation.refresh_from_db()
    actor = actor_for(coach)
    if event == "arrive":
        services.record_arrival(coach, actor, participation.pk, version=participation.version, arrived_on=day)
    elif event == "interrupt":
        services.interrupt(coach, actor, participation.pk, version=participation.version, start=day, reason="illness")
    else:
        services.restart(coach, actor, participation.pk, version=participation.version, on=day)


def on_its_days(coach, history) -> Participation:
    with at(REFERRED):
        participation = new_participation(coach)
    for event, day in history:
        with at(day):
            register(coach, participation, event, day)
    return participation


def after_the_fact(coach, history) -> Participation:
    with at(LATER):
        participation = new_participation(coach)
        for event, day in history:
            register(coach, participation, event, day)
    return participation


def deadlines_of(participation: Participation, today: dt.date) -> dict[str, tuple]:
    return {
        d.kind: (d.due_date, d.status, d.paused_on, d.done_on, deadline_services.state(d, today))
        for d in Deadline.objects.filter(participation=participation)
    }


def test_history_registered_after_the_fact_gives_the_same_deadlines_as_on_its_days(coach):
    """Issue 8 item 12: same due dates and state, and the 18 months overdue once passed."""
    timely = on_its_days(coach, HISTORY)
    late = after_the_fact(coach, HISTORY)

    with at(LATER):
        assert deadlines_of(late, LATER) == deadlines_of(timely, LATER)
        for participation in (timely, late):
            limit = Deadline.objects.get(participation=participation, kind=Kind.PARTICIPATION_LIMIT)
            warning = Deadline.objects.get(participation=participation, kind=Kind.PARTICIPATION_LIMIT_WARNING)
            assert (limit.due_date, warning.due_date) == (LIMIT, WARNING)
            assert deadline_services.state(limit, LATER) == deadline_services.state(warning, LATER) == "overdue"
            # The participant page shows the same date.
            assert selectors.limit_status(participation, LATER).limit_on == LIMIT
        # Both are in the coach's worklist as overdue (before: due "today" for the late one).
        assert set(worklist(coach, LATER).filter(kind=Kind.PARTICIPATION_LIMIT).values_list("participation", flat=True)) == {
            timely.pk,
            late.pk,
        }


def test_limit_passed_before_a_running_interruption_stays_overdue_however_it_was_registered(coach):
    """Issue 8 item 12: an interruption that begins after the 18 months ran out does not pause them."""
    history = [*HISTORY, ("interrupt", dt.date(2026, 10, 5))]
    timely = on_its_days(coach, history)
    late = after_the_fact(coach, history)

    assert deadlines_of(late, LATER) == deadlines_of(timely, LATER)
    for participation in (timely, late):
        limit = Deadline.objects.get(participation=participation, kind=Kind.PARTICIPATION_LIMIT)
        assert (limit.due_date, limit.paused_on) == (LIMIT, None)
        assert deadline_services.state(limit, LATER) == "overdue"


def test_limit_not_yet_passed_is_the_same_and_paused_during_a_running_interruption(coach):
    """Issue 8 item 12: the same history a year shorter — upcoming limit, paused by the running interruption."""
    history = [("arrive", dt.date(2025, 1, 13)), ("interrupt", dt.date(2025, 3, 3)), ("restart", dt.date(2025, 4, 14)),
               ("interrupt", dt.date(2025, 11, 3))]  # fmt: skip
    timely = on_its_days(coach, history)
    late = after_the_fact(coach, history)

    assert deadlines_of(late, LATER) == deadlines_of(timely, LATER)
    limit = Deadline.objects.get(participation=late, kind=Kind.PARTICIPATION_LIMIT)
    assert (limit.due_date, limit.paused_on) == (dt.date(2026, 7, 13) + dt.timedelta(days=42), dt.date(2025, 11, 3))
    assert deadline_services.state(limit, LATER) == "paused"
