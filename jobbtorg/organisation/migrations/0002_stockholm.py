"""Load Stockholm's organisation (districts, units, service areas, AF units)."""

from django.db import migrations


def load(apps, schema_editor):
    from jobbtorg.organisation import stockholm

    stockholm.load(apps)


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
