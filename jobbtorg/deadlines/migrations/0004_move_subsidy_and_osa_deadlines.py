"""Move the two other deadline stores into this one (ADR 0016).

SubsidyStep.due_on/paused_on: each started step (not waiting) with a due date gets a deadline of
kind subsidy_step whose subject is the step; the step keeps its columns (the step's own record,
read by the board's per-step figures). osa.FollowUpDeadline: each row becomes a deadline whose
subject is the case; the table is dropped by osa 0002 after this. Plain ORM in batches, so it
runs the same on SQLite and PostgreSQL.
"""

from django.db import migrations

BATCH = 2000
OSA_KINDS = ("first_period_meeting", "yearly_meeting", "final_meeting")


def _status(step_status: str) -> str:
    return {"done": "done", "cancelled": "cancelled"}.get(step_status, "open")


def forward(apps, schema_editor):
    Deadline = apps.get_model("deadlines", "Deadline")
    SubsidyStep = apps.get_model("subsidies", "SubsidyStep")
    FollowUpDeadline = apps.get_model("osa", "FollowUpDeadline")
    Deadline.objects.filter(kind__in=("subsidy_step", *OSA_KINDS)).delete()  # rerunnable
    steps = (
        SubsidyStep.objects.filter(due_on__isnull=False).exclude(status="waiting")
        .values_list("pk", "case__participation_id", "status", "due_on", "paused_on", "done_on")
        .order_by("pk")
    )
    rows = []
    for pk, participation_id, status, due_on, paused_on, done_on in steps.iterator(chunk_size=BATCH):
        state = _status(status)
        rows.append(Deadline(
            participation_id=participation_id, kind="subsidy_step", subject_id=pk, due_date=due_on, status=state,
            responsible="coach", paused_on=paused_on if state == "open" else None,
            done_on=done_on if state == "done" else None,
        ))
        if len(rows) >= BATCH:
            Deadline.objects.bulk_create(rows)
            rows = []
    followups = FollowUpDeadline.objects.values_list("case_id", "kind", "due_date", "done_on").order_by("pk")
    for case_id, kind, due_date, done_on in followups.iterator(chunk_size=BATCH):
        rows.append(Deadline(
            participation_id=None, kind=kind, subject_id=case_id, due_date=due_date,
            status="done" if done_on else "open", responsible="osa", done_on=done_on,
        ))
        if len(rows) >= BATCH:
            Deadline.objects.bulk_create(rows)
            rows = []
    Deadline.objects.bulk_create(rows)


def backward(apps, schema_editor):
    Deadline = apps.get_model("deadlines", "Deadline")
    FollowUpDeadline = apps.get_model("osa", "FollowUpDeadline")
    FollowUpDeadline.objects.all().delete()
    FollowUpDeadline.objects.bulk_create(
        FollowUpDeadline(case_id=d.subject_id, kind=d.kind, due_date=d.due_date, done_on=d.done_on)
        for d in Deadline.objects.filter(kind__in=OSA_KINDS).order_by("subject_id", "due_date", "pk")
    )
    Deadline.objects.filter(kind__in=("subsidy_step", *OSA_KINDS)).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("deadlines", "0003_generic_subjects"),
        ("osa", "0001_initial"),
        ("subsidies", "0002_default_qualification_rules"),
    ]

    operations = [migrations.RunPython(forward, backward)]
