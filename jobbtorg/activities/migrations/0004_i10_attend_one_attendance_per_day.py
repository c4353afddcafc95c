"""One attendance row per activity and day (issue 10 item 3).

Registering a day again used to add a second individual session ("0 av 2 registrerade
tillfällen" for one day). Existing duplicates are merged first, deterministically: the day
keeps its latest registration (registered rows before unregistered ones, then the latest
`registered_at`, then the highest id). A deviation of a dropped row moves to the kept row when
that has none (withdrawn if the kept registration is no deviation); a second report for the same
day is a duplicate and is removed with its acknowledgement deadline. Sessions left empty go.
"""

import datetime

from django.db import migrations, models
from django.db.models import Count

OLDEST = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _deviation_kind(status, reason):
    if status == "absent" and reason == "unexcused":
        return "unexcused_absence"
    if status == "non_cooperation":
        return "non_cooperation"
    return None


def _order(row):
    return (row.status is not None, row.registered_at or OLDEST, row.pk)


def merge_duplicates(apps, schema_editor):
    Attendance = apps.get_model("activities", "Attendance")
    Deviation = apps.get_model("activities", "Deviation")
    ActivitySession = apps.get_model("activities", "ActivitySession")
    Deadline = apps.get_model("deadlines", "Deadline")
    days = (
        Attendance.objects.values("activity_id", "date").annotate(n=Count("id")).filter(n__gt=1).order_by("activity_id", "date")
    )
    for day in days:
        rows = sorted(Attendance.objects.filter(activity_id=day["activity_id"], date=day["date"]), key=_order)
        keep, dropped = rows[-1], rows[:-1]
        kept_deviation = Deviation.objects.filter(attendance_id=keep.pk).first()
        for row in reversed(dropped):  # the newest dropped report first
            deviation = Deviation.objects.filter(attendance_id=row.pk).first()
            if deviation is None:
                continue
            if kept_deviation is None:
                deviation.attendance_id = keep.pk
                if _deviation_kind(keep.status, keep.absence_reason) is None and deviation.withdrawn_on is None:
                    deviation.withdrawn_on = (keep.registered_at or OLDEST).date()
                    Deadline.objects.filter(kind="deviation_acknowledgement", subject_id=deviation.pk, status="open").update(
                        status="cancelled", done_on=deviation.withdrawn_on
                    )
                deviation.save()
                kept_deviation = deviation
            else:
                Deadline.objects.filter(kind="deviation_acknowledgement", subject_id=deviation.pk).delete()
                deviation.delete()
        session_ids = [row.session_id for row in dropped]
        Attendance.objects.filter(pk__in=[row.pk for row in dropped]).delete()
        ActivitySession.objects.filter(pk__in=session_ids, attendances__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0003_catalogue"),
        ("deadlines", "0004_move_subsidy_and_osa_deadlines"),
    ]

    operations = [
        migrations.RunPython(merge_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="attendance",
            constraint=models.UniqueConstraint(fields=("activity", "date"), name="attendance_one_per_activity_and_day"),
        ),
    ]
