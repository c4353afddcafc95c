from django.db import migrations


def load(apps, schema_editor):
    from jobbtorg.referrals.target_groups import load as load_groups

    load_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
