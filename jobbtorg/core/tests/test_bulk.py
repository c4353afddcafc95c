"""core.bulk (docs/adr/0020): COPY on PostgreSQL, bulk_create elsewhere — same rows either way."""

import pytest
from django.db import connection

from jobbtorg.audit import chain
from jobbtorg.audit.models import Action, AuditChainHead, AuditEntry
from jobbtorg.audit.services import Actor, record, record_many
from jobbtorg.core import bulk
from jobbtorg.organisation.models import District
from jobbtorg.people.models import Person

pytestmark = pytest.mark.django_db

ACTOR = Actor(user_id=7, username="socialsekreterare", role="social_worker", client_address="10.0.0.7")


def test_insert_returns_the_ids_in_row_order_and_fills_the_defaults():
    district = District.objects.first()
    assert district is not None
    rows = [{"personnummer": f"19800101{n:04d}", "first_name": f"Anna{n}", "last_name": "Berg", "home_district_id": district.pk}
            for n in range(3)]  # fmt: skip
    ids = bulk.insert(Person, rows)
    people = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
    assert [people[pk].first_name for pk in ids] == ["Anna0", "Anna1", "Anna2"]
    first = people[ids[0]]
    assert first.version == 1 and first.street_address == "" and first.created_at is not None


def test_a_large_audit_append_is_chained_and_verifies_as_a_small_one():
    """LEGAL (audit log, docs/adr/0012): an import's thousands of entries, written by COPY on
    PostgreSQL, carry the database's time and a hash chain that `verify` accepts, the head moved."""
    record(ACTOR, Action.READ, "Personsidan", 1)
    count = chain.COPY_FROM + 5
    record_many(ACTOR, Action.CREATE, "anvisning", [(pk, pk % 7 == 0) for pk in range(100, 100 + count)])
    record(ACTOR, Action.READ, "Personsidan", 2)

    entries = list(AuditEntry.objects.order_by("pk"))
    assert len(entries) == count + 2
    assert chain.verify() == (count + 2, None)
    head = AuditChainHead.objects.get(pk=chain.HEAD_PK)
    assert head.last_id == entries[-1].pk and head.entries == count + 2
    large = entries[1:-1]
    assert len({e.at for e in large}) == 1  # one append, one time
    assert [e.person_id for e in large] == list(range(100, 100 + count))
    assert [e.flagged for e in large] == [pk % 7 == 0 for pk in range(100, 100 + count)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the time is the database's (the trigger's), as for an INSERT
            cursor.execute("SELECT count(*) FROM audit_auditentry WHERE at > now() + interval '1 minute'")
            assert cursor.fetchone()[0] == 0
