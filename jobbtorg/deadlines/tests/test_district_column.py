"""The district's own deadlines carry the district that must act (bench/README.md, cause 1).

The district worklist and the menu badge read `Deadline.district` through a partial index
instead of joining every open deadline of the city to the participations; these tests pin that
the column is always set for district deadlines, never for the coach's, and that old rows get it
from the migration.
"""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from jobbtorg.deadlines import services
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import RULES, Kind
from jobbtorg.deadlines.selectors import worklist
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def test_district_deadline_records_the_home_district():
    participation = f.ParticipationFactory(enrolled=True)
    approval = services.open_deadline(participation, Kind.PLAN_APPROVAL, TODAY, subject_id=1)
    deviation = services.open_deadline(participation, Kind.DEVIATION_ACKNOWLEDGEMENT, TODAY, subject_id=2)
    assert RULES[Kind.PLAN_APPROVAL].responsible == "district"
    assert approval.district_id == deviation.district_id == participation.home_district_id


def test_coach_deadline_has_no_district():
    participation = f.ParticipationFactory(enrolled=True)
    deadline = services.open_deadline(participation, Kind.PLAN_DRAWN_UP, TODAY)
    assert deadline.responsible == "coach" and deadline.district_id is None


def test_district_worklist_reads_only_its_own_district():
    worker = f.UserFactory(social_worker=True)
    own = f.ParticipationFactory(enrolled=True, person__home_district=worker.district, home_district=worker.district)
    elsewhere = f.district("sodermalm")
    other = f.ParticipationFactory(enrolled=True, person__home_district=elsewhere, home_district=elsewhere)
    mine = services.open_deadline(own, Kind.PLAN_APPROVAL, TODAY, subject_id=1)
    services.open_deadline(other, Kind.PLAN_APPROVAL, TODAY, subject_id=2)
    services.open_deadline(own, Kind.PLAN_DRAWN_UP, TODAY)  # the coach's, not the district's
    assert list(worklist(worker, TODAY)) == [mine]


def test_migration_backfills_district_on_district_deadlines():
    participation = f.ParticipationFactory(enrolled=True)
    district_deadline = services.open_deadline(participation, Kind.PLAN_APPROVAL, TODAY, subject_id=1)
    coach_deadline = services.open_deadline(participation, Kind.PLAN_DRAWN_UP, TODAY)
    Deadline.objects.update(district=None)  # as the rows were before the column existed
    migration = importlib.import_module("jobbtorg.deadlines.migrations.0002_district_on_district_deadlines")
    migration.backfill_district(apps, None)
    district_deadline.refresh_from_db()
    coach_deadline.refresh_from_db()
    assert district_deadline.district_id == participation.home_district_id
    assert coach_deadline.district_id is None
