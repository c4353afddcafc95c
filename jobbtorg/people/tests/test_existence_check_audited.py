"""Issue 8 item 3: `POST /api/v1/persons/` with a registered personnummer is an existence check.

It answers with the same field error whether the person is the caller's or not (and whether
protected or not), and every such answer is in the audit log as a refused search of that person,
flagged for the log review; the entry stays also when the caller's transaction rolls back.
"""

import pytest
from django.db import transaction

from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.audit.services import Actor
from jobbtorg.core.errors import DomainError
from jobbtorg.people import services
from jobbtorg.people.models import Person, ProtectionLevel
from jobbtorg.people.tests.test_api import URL, caseload, client_for, new_person_payload
from jobbtorg.testing import factories as f

DUPLICATE = ["Det finns redan en person med det personnumret"]


def _checks(user, person) -> list[tuple[str, str, bool]]:
    return list(
        AuditEntry.objects.filter(user_id=user.pk, person_id=person.pk, what__contains="personnummer finns redan")
        .values_list("action", "outcome", "flagged")
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_persons_post_with_a_registered_number_answers_alike_and_is_audited():
    """Issue 8 item 3: "exists but not yours" (even protected) answers like "yours", and both are logged."""
    coach = f.UserFactory(coach=True)
    [own] = caseload(coach)
    stranger = f.PersonFactory(protection_level=ProtectionLevel.PROTECTED_REGISTRATION)
    api = client_for(coach)

    answers = []
    for person in (own, stranger):
        response = api.post(URL, new_person_payload(personnummer=person.personnummer), format="json")
        assert response.status_code == 400
        answers.append(response.json())
        assert _checks(coach, person) == [(Action.SEARCH, Outcome.REFUSED, True)]
    assert answers[0] == answers[1] == {"personnummer": DUPLICATE}
    assert Person.objects.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existence_check_inside_a_rolled_back_transaction_is_still_audited():
    """Issue 8 item 3: the refused look-up survives the caller's rollback (e.g. an import)."""
    coach = f.UserFactory(coach=True)
    protected = f.PersonFactory(protection_level=ProtectionLevel.PROTECTED_REGISTRATION)
    data = {
        "personnummer": protected.personnummer,
        "first_name": "Nora",
        "last_name": "Lind",
        "home_district": f.district("rinkeby-kista"),
    }
    with pytest.raises(DomainError), transaction.atomic():
        services.create_person(coach, Actor(coach.pk, coach.username, coach.role), data)

    assert _checks(coach, protected) == [(Action.SEARCH, Outcome.REFUSED, True)]
