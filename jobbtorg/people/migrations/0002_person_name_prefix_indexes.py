"""PostgreSQL: indexes for the name search's prefix match (issue 9 item 9, bench/load.py).

The person search matches names by prefix, case-insensitively: `UPPER(last_name) LIKE 'AYD%'`
(Django's istartswith). No index served that, so at 1,000,000 persons PostgreSQL walked the
(last_name, first_name) index in sort order and tested every person's access (10 s for a coach
searching a common surname). text_pattern_ops indexes on UPPER(name) let it find the few
thousand matches first. SQLite has no such operator classes and needs none at its sizes.
"""

from django.db import migrations

INDEXES = {
    "person_last_name_prefix_idx": "last_name",
    "person_first_name_prefix_idx": "first_name",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON people_person (UPPER({column}::text) text_pattern_ops, id)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
