"""Issue 8 item 3: a refused disability registration is in the audit log, web and API.

The registration runs in a transaction that the refusal rolls back; before the audit journal
(docs/adr/0012) the refusal's entry rolled back with it (121 of 121 refused POSTs unlogged).
Transactional tests, so that the rollback is a real one.
"""

import pytest
from django.test import Client
from django.urls import reverse

from jobbtorg.accounts.tests.helpers import api_key_for
from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.disabilities.models import DisabilityRegistration
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FORM = {"new-code": "43", "new-sub_kind": "pain", "new-documented_on": "2025-01-01", "new-source": "lakarintyg"}


def _refused(user, person_id) -> list[tuple[str, str, int | None, bool]]:
    return list(
        AuditEntry.objects.filter(user_id=user.pk, what__contains="funktionsnedsättning").values_list(
            "action", "outcome", "person_id", "flagged"
        )
    )


@pytest.fixture
def person():
    return f.ParticipationFactory(enrolled=True, coach=f.UserFactory(coach=True)).person


@pytest.mark.parametrize(("role", "status"), [("unit_manager", 403), ("provider_staff", 404)])
def test_refused_disability_registration_on_the_page_is_audited(person, role, status):
    """Issue 8 item 3: web POST refused (no health relation: 403; no relation: 404), one entry."""
    user = f.UserFactory(**{role: True})
    client = Client()
    client.force_login(user)
    response = client.post(reverse("disabilities:person", args=[person.pk]), FORM)
    assert response.status_code == status
    assert _refused(user, person.pk) == [(Action.CREATE, Outcome.REFUSED, person.pk, True)]
    assert not DisabilityRegistration.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("unit_manager", 403), ("provider_staff", 404)])
def test_refused_disability_registration_in_the_api_is_audited(person, role, status):
    """Issue 8 item 3: API POST refused, one entry."""
    user = f.UserFactory(**{role: True})
    response = Client().post(
        "/api/v1/disability-registrations/",
        {"person": person.pk, "code": "43", "sub_kind": "pain", "documented_on": "2025-01-01", "source": "lakarintyg"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {api_key_for(user)}",
    )
    assert response.status_code == status
    assert _refused(user, person.pk) == [(Action.CREATE, Outcome.REFUSED, person.pk, True)]
    assert not DisabilityRegistration.objects.exists()


def test_an_allowed_registration_is_logged_once(person):
    coach = person.participations.get().coach
    client = Client()
    client.force_login(coach)
    response = client.post(reverse("disabilities:person", args=[person.pk]), FORM)
    assert response.status_code == 302
    assert AuditEntry.objects.filter(user_id=coach.pk, action=Action.CREATE, outcome=Outcome.ALLOWED).count() == 1
