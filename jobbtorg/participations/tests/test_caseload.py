"""One caseload count (issue 9 item 6): participations.selectors.caseload_balance, read by the
assignment page and the manager's start page alike."""

import pytest

from jobbtorg.participations import selectors
from jobbtorg.participations.models import Status
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db


def test_caseload_is_every_open_participation_the_coach_has_wherever_it_is():
    """DOMAIN §"Caseloads" (seed 002): a coach has no more job-seekers than can be handled
    individually, so the count is the coach's whole open caseload — also a participant enrolled at
    another unit — and nothing closed. The unit-only count the start page had undercounted it."""
    coach = f.UserFactory(coach=True)
    f.ParticipationFactory.create_batch(2, coach=coach, enrolled=True)
    f.ParticipationFactory(coach=coach, status=Status.REFERRED)
    f.ParticipationFactory(coach=coach, enrolled=True, unit=f.unit("sydost"))
    f.ParticipationFactory(coach=coach, closed=True)

    [row] = [c for c in selectors.caseload_balance(coach.jobbtorg_unit_id) if c.pk == coach.pk]

    assert (row.open_count, row.active_count, row.referred_count, row.interrupted_count) == (4, 3, 1, 0)


def test_manager_start_page_shows_the_same_caseload(client):
    """The manager's table reads the same selector, so both pages agree for the same coach."""
    manager = f.UserFactory(unit_manager=True)
    coach = f.UserFactory(coach=True, jobbtorg_unit=manager.jobbtorg_unit)
    f.ParticipationFactory(coach=coach, enrolled=True)
    f.ParticipationFactory(coach=coach, enrolled=True, unit=f.unit("sydost"))
    client.force_login(manager)
    response = client.get("/")
    shown = {c.pk: c.open_count for c in response.context["coaches"]}
    balance = {c.pk: c.open_count for c in selectors.caseload_balance(manager.jobbtorg_unit_id)}
    assert shown[coach.pk] == balance[coach.pk] == 2
