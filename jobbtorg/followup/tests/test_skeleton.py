"""The fact table and the first figures, on a small hand-made population (DOMAIN §8)."""

import datetime

import pytest

from jobbtorg.core import disclosure
from jobbtorg.followup import facts, periods, selectors
from jobbtorg.participations.models import ClosureReason, Status
from jobbtorg.testing.factories import ParticipationFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def test_counts_per_unit_follow_the_period_rules():
    p1 = ParticipationFactory(referred_on=D(2026, 3, 2), arrived_on=D(2026, 3, 5))
    ParticipationFactory(referred_on=D(2026, 4, 1), unit=p1.unit)
    ParticipationFactory(
        referred_on=D(2025, 12, 1), arrived_on=D(2025, 12, 3), closed_on=D(2026, 2, 1), status=Status.CLOSED,
        closure_reason=ClosureReason.MOVED, unit=p1.unit,
    )  # fmt: skip
    assert facts.refresh() == 3
    q1 = periods.tertial(2026, 1)
    filters = {"unit_id": p1.unit_id}
    assert selectors.compute("referred", q1, None, filters).values[None].n == 2
    assert selectors.compute("enrolled", q1, None, filters).values[None].n == 1
    assert selectors.compute("closed", q1, None, filters).values[None].n == 1
    # Active in the tertial: p1 (arrived in March) and the one closed in February.
    assert selectors.compute("active", q1, "unit", filters).values[p1.unit_id].n == 2
    assert selectors.compute("active", periods.month(2026, 3), None, filters).values[None].n == 1


def test_refresh_is_idempotent_and_follows_changes():
    p = ParticipationFactory(referred_on=D(2026, 3, 2))
    facts.refresh()
    p.arrived_on = D(2026, 3, 9)
    p.save()
    assert facts.refresh([p.pk]) == 1
    assert selectors.compute("enrolled", periods.month(2026, 3), None, {}).values[None].n == 1


def test_primary_suppression_withholds_one_to_four():
    [t] = disclosure.protect([disclosure.Table("t", ["a", "b"], ["n"], [[0], [7]])])
    assert t.cells == [[0], [7]]
    [t] = disclosure.protect([disclosure.Table("t", ["a", "b"], ["n"], [[3], [7]])])
    assert t.cells[0] == [None]


def test_periods_parse_codes():
    assert periods.parse("2026-T2") == periods.tertial(2026, 2)
    assert periods.tertial(2026, 2).start == D(2026, 5, 1) and periods.tertial(2026, 2).end == D(2026, 8, 31)
    with pytest.raises(ValueError):
        periods.parse("2026-13")
