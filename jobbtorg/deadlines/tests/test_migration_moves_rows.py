"""deadlines 0004 moves the two other deadline stores into this one (ADR 0016), on SQLite and
PostgreSQL: the database is migrated back to before the move, rows are written the old way
(SubsidyStep.due_on/paused_on, osa.FollowUpDeadline), and migrated forward again."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from jobbtorg.deadlines.models import Deadline
from jobbtorg.subsidies.models import StepStatus
from jobbtorg.subsidies.rules import StepKind
from jobbtorg.testing import factories as f

BEFORE = [("deadlines", "0003_generic_subjects"), ("osa", "0001_initial")]
DAY = datetime.timedelta(days=1)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_moves_subsidy_steps_and_osa_follow_ups_into_the_store():
    today = timezone.localdate()
    # Made with today's models first: migrating back keeps the rows (an OSA case then had no status).
    case = f.SubsidyCaseFactory(lonebidrag_overdue=True)
    osa_case = f.OsaCaseFactory()
    executor = _migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        FollowUpDeadline = old.get_model("osa", "FollowUpDeadline")
        FollowUpDeadline.objects.all().delete()  # what migrating back put there from the factory's case
        Deadline.objects.all().delete()  # the factories write the new way; start from the old shape only
        steps = {s.kind: s for s in case.steps.all()}
        callback, order = steps[StepKind.LB_2_CALLBACK], steps[StepKind.LB_2_ORDER]  # open / waiting
        eligibility = steps[StepKind.LB_3_ELIGIBILITY]
        eligibility.status, eligibility.due_on, eligibility.paused_on = StepStatus.OPEN, today + 9 * DAY, today - DAY
        eligibility.save()
        FollowUpDeadline.objects.create(case_id=osa_case.pk, kind="first_period_meeting", due_date=today - DAY)
        FollowUpDeadline.objects.create(case_id=osa_case.pk, kind="yearly_meeting", sequence=1,
                                        due_date=today - 30 * DAY, done_on=today - 40 * DAY)  # fmt: skip
    finally:
        executor = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    moved = Deadline.objects.filter(kind="subsidy_step")
    assert {d.subject_id for d in moved} == {callback.pk, eligibility.pk, steps[StepKind.LB_1_NOTIFICATION].pk}
    assert order.pk not in {d.subject_id for d in moved}  # a waiting step has no running clock
    running = moved.get(subject_id=callback.pk)
    assert (running.status, running.due_date, running.participation_id, running.responsible) == (
        "open", callback.due_on, case.participation_id, "coach")  # fmt: skip
    paused = moved.get(subject_id=eligibility.pk)
    assert (paused.due_date, paused.paused_on) == (today + 9 * DAY, today - DAY)
    assert moved.get(subject_id=steps[StepKind.LB_1_NOTIFICATION].pk).status == "done"
    follow_ups = Deadline.objects.filter(subject_id=osa_case.pk, kind__in=["first_period_meeting", "yearly_meeting"])
    assert sorted((d.kind, d.status, d.done_on, d.responsible, d.participation_id) for d in follow_ups) == [
        ("first_period_meeting", "open", None, "osa", None),
        ("yearly_meeting", "done", today - 40 * DAY, "osa", None),
    ]
