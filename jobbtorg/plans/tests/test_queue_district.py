"""The approval queue reads the district recorded on the plan at submission (bench/README.md, cause 2)."""

import importlib

import pytest
from django.apps import apps

from jobbtorg.plans import selectors
from jobbtorg.plans.models import ActivityPlan
from jobbtorg.plans.tests.test_plan_rules import MON, make_plan, submit
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db


def test_submitted_plan_records_home_district(coach, participation):
    plan = make_plan(coach, participation)
    assert plan.district_id is None  # a draft belongs to no queue yet
    plan = submit(coach, plan)
    assert plan.district_id == participation.home_district_id
    plan.refresh_from_db()
    assert plan.district_id == participation.home_district_id


def test_approval_queue_shows_only_plans_sent_to_the_district(coach, participation, social_worker, other_social_worker):
    plan = submit(coach, make_plan(coach, participation))
    assert [r.plan for r in selectors.approval_queue(social_worker.district, viewer=social_worker, today=MON)] == [plan]
    assert selectors.approval_queue(other_social_worker.district, viewer=other_social_worker, today=MON) == []


def test_plans_migration_backfills_district_of_sent_plans(coach, participation):
    sent = f.ActivityPlanFactory(submitted=True, participation=f.ParticipationFactory(enrolled=True, coach=coach))
    draft = make_plan(coach, participation)
    ActivityPlan.objects.filter(pk__in=[sent.pk, draft.pk]).update(district=None)
    migration = importlib.import_module("jobbtorg.plans.migrations.0002_district_on_submitted_plans")
    migration.backfill_district(apps, None)
    sent.refresh_from_db()
    draft.refresh_from_db()
    assert sent.district_id == sent.participation.home_district_id
    assert draft.district_id is None
    assert selectors.approval_queue_qs(sent.district_id).filter(pk=sent.pk).exists()

