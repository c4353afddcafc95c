"""Tamper evidence (docs/adr/0012): the hash chain, the database's time, no TRUNCATE.

- Adds `prev_hash`/`entry_hash` and the chain head, and chains the entries already
  written, in id order.
- `at` is no longer auto_now_add: audit.services sets it from the database clock, and on
  PostgreSQL a BEFORE INSERT trigger overwrites it with `now()`, so a back-dated INSERT
  gets the real time.
- PostgreSQL: a statement-level trigger refuses TRUNCATE (let through only for the test
  runner's flush in a database named test_*, see jobbtorg.audit.backends.postgresql), and
  every audit trigger fires ALWAYS, also under session_replication_role = replica.
  A superuser can still disable triggers: that is what the hash chain and
  `manage.py verify_audit` show (docs/operations.md).
"""

import django.utils.timezone
from django.db import migrations, models

PG_UP = r"""
CREATE OR REPLACE FUNCTION audit_database_time() RETURNS trigger AS $$
BEGIN
    NEW.at := now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditentry_database_time
    BEFORE INSERT ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_database_time();

CREATE OR REPLACE FUNCTION audit_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('jobbtorg.audit_truncate', true) = 'test' AND current_database() LIKE 'test\_%' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only (TRUNCATE refused)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditentry_no_truncate
    BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate();
CREATE TRIGGER audit_auditchainhead_no_truncate
    BEFORE TRUNCATE ON audit_auditchainhead
    FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate();

ALTER TABLE audit_auditentry ENABLE ALWAYS TRIGGER audit_auditentry_append_only;
ALTER TABLE audit_auditentry ENABLE ALWAYS TRIGGER audit_auditentry_database_time;
ALTER TABLE audit_auditentry ENABLE ALWAYS TRIGGER audit_auditentry_no_truncate;
ALTER TABLE audit_auditchainhead ENABLE ALWAYS TRIGGER audit_auditchainhead_no_truncate;
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS audit_auditchainhead_no_truncate ON audit_auditchainhead;
DROP TRIGGER IF EXISTS audit_auditentry_no_truncate ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_auditentry_database_time ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_no_truncate();
DROP FUNCTION IF EXISTS audit_database_time();
ALTER TABLE audit_auditentry ENABLE TRIGGER audit_auditentry_append_only;
"""


def chain_existing(apps, schema_editor):
    """Chain the entries written before this migration, in id order, a batch at a time."""
    from jobbtorg.audit.chain import CONTENT_FIELDS, digest

    entry_model = apps.get_model("audit", "AuditEntry")
    head_model = apps.get_model("audit", "AuditChainHead")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only")
    prev, last, count = "", 0, 0
    while True:
        batch = list(entry_model.objects.filter(pk__gt=last).order_by("pk").values("pk", *CONTENT_FIELDS)[:2000])
        if not batch:
            break
        for row in batch:
            entry_hash = digest(row, prev)
            entry_model.objects.filter(pk=row["pk"]).update(prev_hash=prev, entry_hash=entry_hash)
            prev, last, count = entry_hash, row["pk"], count + 1
    # Always: appending then finds the head at once (the first entry costs no extra statements).
    head_model.objects.create(pk=1, last_id=last, last_hash=prev, entries=count)
    if postgres:
        schema_editor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_auditentry_append_only")


def triggers_up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_UP, params=None)


def triggers_down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DOWN, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_details_admin_access'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditChainHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('last_id', models.BigIntegerField(default=0)),
                ('last_hash', models.CharField(blank=True, default='', max_length=64)),
                ('entries', models.BigIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'kedjans senaste länk',
                'verbose_name_plural': 'kedjans senaste länkar',
            },
        ),
        migrations.AddField(
            model_name='auditentry',
            name='entry_hash',
            field=models.CharField(blank=True, default='', max_length=64, verbose_name='kontrollsumma'),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='prev_hash',
            field=models.CharField(blank=True, default='', max_length=64, verbose_name='föregående kontrollsumma'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='tid'),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.RunPython(triggers_up, triggers_down),
    ]
