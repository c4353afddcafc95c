"""The default rules' source names the ordinance only: "– standardvärden enligt DOMAIN §18" was
a developer's note shown on the eligibility page (issue 10 item 7: no internal words in the UI)."""

from django.db import migrations

INTERNAL = " – standardvärden enligt DOMAIN §18"


def forwards(apps, schema_editor):
    QualificationRule = apps.get_model("eligibility", "QualificationRule")
    for rule in QualificationRule.objects.filter(source__contains="DOMAIN §"):
        rule.source = rule.source.replace(INTERNAL, "").replace("DOMAIN §18", "").strip(" –")
        rule.save(update_fields=["source"])


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0001_models_moved_from_subsidies")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
