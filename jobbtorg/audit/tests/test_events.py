"""Typed audit events (issue 9 item 6): an enum whose values are the readable texts the log has
always stored, so an entry written through the enum reads, filters and verifies like an old one."""

import pytest

from jobbtorg.audit import chain
from jobbtorg.audit.events import AuditEvent, changed
from jobbtorg.audit.models import Action, AuditEntry
from jobbtorg.audit.services import Actor, record

pytestmark = pytest.mark.django_db


def test_an_event_is_stored_as_its_readable_text_and_the_chain_still_verifies():
    """LEGAL.md (the log is tamper-evident and read by people): the stored `what` is plain text."""
    actor = Actor(user_id=1, username="cora", role="coach")
    record(actor, Action.READ, "anvisning", 5)  # an entry written before the enum
    record(actor, Action.CREATE, AuditEvent.REFERRAL, 5, details=changed(coach=(None, 3)))

    old, new = AuditEntry.objects.order_by("id")
    assert type(new.what) is str and new.what == old.what == AuditEvent.REFERRAL.value
    assert AuditEntry.objects.filter(what=AuditEvent.REFERRAL).count() == 2
    assert new.details == {"coach": {"old": None, "new": 3}}
    checked, broken = chain.verify()
    assert checked == 2 and broken is None


def test_every_event_text_fits_the_column_and_is_unique():
    """Two members with one text would make the log ambiguous; a text over 200 characters would be cut."""
    texts = [e.value for e in AuditEvent]
    assert len(set(texts)) == len(texts)
    assert max(len(t) for t in texts) <= AuditEntry._meta.get_field("what").max_length
