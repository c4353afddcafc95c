"""Issue 8 item 3: a refused look-up inside a CSV import is in the audit log after the import fails.

The import is all or nothing: one transaction, rolled back when any row is wrong. A row with the
personnummer of someone the importer may not refer (here a protected person in another district)
is refused and logged; before the audit journal (docs/adr/0012) that entry rolled back with the
import, which made an import an unaudited existence check for any personnummer. Transactional, so
that the rollback is a real one.
"""

import pytest
from django.utils import timezone

from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.participations.tests.fixtures import actor_for
from jobbtorg.people.models import ProtectionLevel
from jobbtorg.referrals.csv_import import COLUMNS, import_referrals
from jobbtorg.referrals.models import Referral
from jobbtorg.referrals.tests.helpers import new_number
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _row(number: str, today) -> str:
    values = {
        "personnummer": number,
        "förnamn": "Erik",
        "efternamn": "Nilsson",
        "målgrupper": "fs-arbetsloshet",
        "grund": "Arbetslös, försörjningsstöd",
        "samtycke_datum": today.isoformat(),
        "samtycke_omfattning": "Planering och närvaro",
        "rättslig_grund": "",
        "anvisningsdatum": today.isoformat(),
    }
    return ";".join(values[c] for c in COLUMNS)


def test_refused_lookup_in_a_failed_import_stays_in_the_audit_log():
    """Issue 8 item 3: the import fails and rolls back; the refused look-up of the protected person is logged."""
    today = timezone.localdate()
    social_worker = f.UserFactory(social_worker=True)
    elsewhere = f.PersonFactory(home_district=f.district("bromma"), protection_level=ProtectionLevel.PROTECTED_REGISTRATION)
    content = "\r\n".join([";".join(COLUMNS), _row(new_number(), today), _row(elsewhere.personnummer, today)]) + "\r\n"

    result = import_referrals(
        social_worker, actor_for(social_worker), content.encode(), filename="anvisningar.csv", today=today
    )

    assert not result.ok
    assert not Referral.objects.exists(), "the import rolled back"
    refused = AuditEntry.objects.filter(user_id=social_worker.pk, person_id=elsewhere.pk)
    assert list(refused.values_list("action", "outcome", "flagged")) == [(Action.SEARCH, Outcome.REFUSED, True)]
    assert not AuditEntry.objects.filter(user_id=social_worker.pk, action=Action.CREATE).exists(), (
        "the rolled-back creations are not logged as done"
    )
