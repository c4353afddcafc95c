"""Individual review as a decision (issue 10 item 9): decided by a user, with an outcome.

The free-text "prövad av" is kept, renamed to legacy_reviewed_by, for the reviews recorded before;
those reviews were approvals (they were what allowed an extension past 24 months)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("osa", "0003_case_status_and_ending"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("individualreview", "reviewed_by", "legacy_reviewed_by"),
        migrations.AlterField(
            "individualreview",
            "legacy_reviewed_by",
            models.CharField(blank=True, max_length=150, verbose_name="prövad av (fritext, före beslutsfälten)"),
        ),
        migrations.AlterField("individualreview", "reviewed_on", models.DateField(verbose_name="beslutsdatum")),
        migrations.AddField(
            "individualreview",
            "decided_by",
            models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="beslutad av",
            ),
        ),
        migrations.AddField(
            "individualreview",
            "outcome",
            models.CharField(
                choices=[
                    ("approved", "Anställningen får förlängas utöver 24 månader"),
                    ("refused", "Anställningen förlängs inte utöver 24 månader"),
                ],
                default="approved",
                max_length=10,
                verbose_name="beslut",
            ),
        ),
    ]
