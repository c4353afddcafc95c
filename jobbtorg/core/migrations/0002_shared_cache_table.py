"""The table of the shared database cache (issue 8 item 9), so `migrate` is all a new
installation needs: no separate `createcachetable` step in `make run`, the tests or a deploy.

The table is created whatever CACHES says today (also with REDIS_URL set), so switching
back from Redis to the database needs nothing either. Its name is fixed here rather than
read from settings: a migration must do the same on every machine.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

CACHE_TABLE = "jobbtorg_cache"  # settings.CACHE_TABLE


def create_cache_table(apps, schema_editor):
    # The same DDL as `manage.py createcachetable` (table, columns, expiry index); skipped if it exists.
    command = CreateCacheTable()
    command.verbosity = 0  # set by execute() otherwise; create_table reads it
    command.create_table(schema_editor.connection.alias, CACHE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table, elidable=False)]
