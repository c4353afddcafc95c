"""Seed the offer catalogue (DOMAIN §5) as data."""

from django.db import migrations


def load(apps, schema_editor):
    from jobbtorg.activities import catalogue

    catalogue.load(apps)


class Migration(migrations.Migration):

    dependencies = [
        ("activities", "0002_sessions_attendance_deviations"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
