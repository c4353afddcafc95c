"""Load Arbetsförmedlingen's occupation list (3,253 rows) into Occupation.

One bulk insert from the JSON shipped in the app (jobbtorg/assessments/data/),
so a fresh database gets the list in well under a second.
"""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data" / "occupations.json"


def load(apps, schema_editor):
    Occupation = apps.get_model("assessments", "Occupation")
    rows = json.loads(DATA.read_text(encoding="utf-8"))
    existing = set(Occupation.objects.values_list("id", flat=True))
    Occupation.objects.bulk_create(
        [Occupation(id=oid, name=name, ssyk2012=ssyk) for oid, name, ssyk in rows if oid not in existing],
        batch_size=1000,
    )


def unload(apps, schema_editor):
    apps.get_model("assessments", "Occupation").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
