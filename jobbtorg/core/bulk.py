"""Writing many new rows at once: PostgreSQL `COPY`, elsewhere `bulk_create` (docs/adr/0020).

The ORM's INSERT costs more Python per row than the rules that checked the row, and on
PostgreSQL Django sends a bulk insert as one statement with an array per column, which
psycopg must quote value by value. COPY streams the rows instead. Used by the referral
import (referrals.services.save_referrals_batch) and by the audit chain for large appends
(audit.chain.append), so that neither bypasses the other's rules: callers still decide
every value; this module only writes them.

Only for new rows of plain tables: no save(), no signals (no caller's model has either),
no ON CONFLICT. The ids are drawn from the table's sequence first, so the caller gets
them in row order, as bulk_create would give them. Row triggers still fire (the audit
table's BEFORE INSERT trigger sets `at`), and a unique index refusing a row raises
django.db.IntegrityError, as an INSERT would.
"""

import json
from collections.abc import Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

WRITE_BATCH = 2000  # bulk_create's batch size where COPY is not available


def insert(model: type[models.Model], rows: Sequence[dict[str, Any]], *, returning: bool = True) -> list[int]:
    """Insert rows given as {attname: value} (the model's defaults fill the other columns); their ids in order
    (an empty list when not `returning` on PostgreSQL)."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = [model(**row) for row in rows]
        model.objects.bulk_create(objs, batch_size=WRITE_BATCH)  # type: ignore[attr-defined]
        return [obj.pk for obj in objs]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    template: list[Any] = [None]  # the id first, then every column's default
    json_names = {f.attname for f in fields if isinstance(f, models.JSONField)}
    for f in fields:
        auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        default = now if auto else f.get_default()  # "" for a text column without a default, else None
        template.append(_json(default) if f.attname in json_names else default)
    position = {f.attname: i + 1 for i, f in enumerate(fields)}
    ids = _next_ids(model, len(rows))

    def values() -> Any:
        for pk, row in zip(ids, rows, strict=True):
            out = template.copy()
            out[0] = pk
            for name, value in row.items():
                out[position[name]] = _json(value) if name in json_names else value
            yield out

    _copy(model, fields, values())
    return ids if returning else []


def insert_objects(objs: Sequence[models.Model]) -> None:
    """Insert unsaved model instances of one model, every column as the instance holds it; sets their pk.

    For callers that build instances (audit entries, whose hash covers the exact values)."""
    if not objs:
        return
    model = type(objs[0])
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=WRITE_BATCH)  # type: ignore[attr-defined]
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    ids = _next_ids(model, len(objs))
    json_names = {f.attname for f in fields if isinstance(f, models.JSONField)}
    names = [f.attname for f in fields]
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    rows = ([obj.pk, *(_json(getattr(obj, n)) if n in json_names else getattr(obj, n) for n in names)] for obj in objs)
    _copy(model, fields, rows)


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, cls=DjangoJSONEncoder)


def _next_ids(model: type[models.Model], count: int) -> list[int]:
    meta = model._meta
    with connection.cursor() as cursor:
        sql = "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"
        cursor.execute(sql, [meta.db_table, meta.pk.column or "id", count])
        return [pk for (pk,) in cursor.fetchall()]


def _copy(model: type[models.Model], fields: list[Any], rows: Any) -> None:
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join([quote(meta.pk.column or "id"), *(quote(f.column or f.attname) for f in fields)])
    # wrap_database_errors: a unique index refusing a COPY row raises django.db.IntegrityError, as an INSERT would.
    with connection.wrap_database_errors, connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
