"""The district withdraws a referral before enrolment, and corrects a returned referral's name or
target groups before resending it (issue 10 item 5)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from jobbtorg.audit.models import AuditEntry, Outcome
from jobbtorg.core.errors import AccessDenied, DomainError
from jobbtorg.deadlines import services as deadlines
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import Kind
from jobbtorg.participations import rules as participation_rules
from jobbtorg.participations.models import ClosureReason, Status
from jobbtorg.participations.tests.fixtures import actor_for, login
from jobbtorg.referrals import services
from jobbtorg.referrals.models import Referral
from jobbtorg.testing import factories as f
from jobbtorg.timeline.models import TimelineEntry

pytestmark = pytest.mark.django_db


def test_withdrawal_is_a_step_of_the_state_table():
    step = participation_rules.TRANSITIONS[(Status.REFERRED, participation_rules.Action.WITHDRAW_REFERRAL)]
    assert step.target == Status.CLOSED and step.capability == "withdraw_referral"
    for status in (Status.ACTIVE, Status.INTERRUPTED, Status.CLOSED):
        assert (status, participation_rules.Action.WITHDRAW_REFERRAL) not in participation_rules.TRANSITIONS


def test_district_withdraws_referral_before_enrolment(client, social_worker, coach, today):
    referral = f.ReferralFactory(participation__coach=coach, participation__referred_on=today)
    p = referral.participation
    deadlines.open_deadline(p, Kind.FIRST_APPOINTMENT, start=today)
    login(client, social_worker)
    assert reverse("referrals:withdraw", args=[referral.pk]) in client.get(reverse("referrals:list")).content.decode()
    response = client.post(reverse("referrals:withdraw", args=[referral.pk]), {"reason": "Personen har fått arbete."})
    assert response.status_code == 302
    referral.refresh_from_db()
    p.refresh_from_db()
    assert referral.state == Referral.State.WITHDRAWN and referral.withdrawal_reason == "Personen har fått arbete."
    assert referral.withdrawn_by == social_worker and referral.withdrawn_on == today
    assert p.status == Status.CLOSED and p.closure_reason == ClosureReason.WITHDRAWN and p.closed_on == today
    assert p.closure_text == "Personen har fått arbete."
    assert not Deadline.objects.filter(participation=p, status=Deadline.Status.OPEN).exists()  # no follow-ups either
    assert TimelineEntry.objects.filter(participation=p, kind="referral_withdrawn").exists()
    html = client.get(reverse("referrals:list")).content.decode()
    assert "Återkallad av stadsdelen" in html
    assert reverse("referrals:withdraw", args=[referral.pk]) not in html


def test_withdraw_without_reason_is_an_error(client, social_worker, today):
    referral = f.ReferralFactory(participation__referred_on=today)
    login(client, social_worker)
    response = client.post(reverse("referrals:withdraw", args=[referral.pk]), {"reason": " "})
    assert response.status_code == 400
    assert "Skriv varför anvisningen återkallas." in response.content.decode()
    referral.refresh_from_db()
    assert referral.state == Referral.State.SUBMITTED


def test_cannot_withdraw_after_enrolment(client, social_worker, coach, today):
    referral = f.ReferralFactory(participation__coach=coach, participation__referred_on=today)
    p = referral.participation
    p.status, p.arrived_on = Status.ACTIVE, today
    p.save(update_fields=["status", "arrived_on"])
    with pytest.raises(DomainError) as refused:
        services.withdraw_referral(social_worker, actor_for(social_worker), referral.pk, reason="Fel person.")
    assert "innan personen har skrivits in" in " ".join(refused.value.messages)
    login(client, social_worker)
    page = client.get(reverse("referrals:withdraw", args=[referral.pk])).content.decode()
    assert "Återkalla anvisningen</button>" not in page
    assert reverse("referrals:withdraw", args=[referral.pk]) not in client.get(reverse("referrals:list")).content.decode()
    p.refresh_from_db()
    assert p.status == Status.ACTIVE


def test_another_district_and_a_coach_cannot_withdraw(client, coach, today):
    referral = f.ReferralFactory(participation__coach=coach, participation__referred_on=today)
    outsider = f.UserFactory(social_worker=True, district=f.district("bromma"))
    with pytest.raises(AccessDenied):
        services.withdraw_referral(outsider, actor_for(outsider), referral.pk, reason="Nej.")
    assert login(client, outsider).post(reverse("referrals:withdraw", args=[referral.pk]),
                                        {"reason": "Nej."}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.withdraw_referral(coach, actor_for(coach), referral.pk, reason="Nej.")
    assert login(client, coach).post(reverse("referrals:withdraw", args=[referral.pk]), {"reason": "Nej."}).status_code == 403
    referral.refresh_from_db()
    assert referral.state == Referral.State.SUBMITTED
    assert AuditEntry.objects.filter(user_id=outsider.pk, outcome=Outcome.REFUSED).exists()


def test_withdraw_through_the_api(social_worker, coach, today):
    referral = f.ReferralFactory(participation__coach=coach, participation__referred_on=today)
    api = APIClient()
    api.force_authenticate(coach)
    assert api.post(f"/api/v1/referrals/{referral.pk}/withdraw/", {"reason": "Nej."}, format="json").status_code == 403
    api.force_authenticate(social_worker)
    assert api.post(f"/api/v1/referrals/{referral.pk}/withdraw/", {"reason": ""}, format="json").status_code == 400
    response = api.post(f"/api/v1/referrals/{referral.pk}/withdraw/", {"reason": "Flyttat."}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "withdrawn"


def _returned(coach, today):
    referral = f.ReferralFactory(participation__coach=coach, participation__referred_on=today,
                                 participation__person__first_name="Fatma", participation__person__last_name="Yilmas")
    Referral.objects.filter(pk=referral.pk).update(state=Referral.State.RETURNED, return_reason="Fel namn och målgrupp.")
    return referral


def test_returned_referral_corrected_before_resend(client, social_worker, coach, today):
    referral = _returned(coach, today)
    login(client, social_worker)
    page = client.get(reverse("referrals:resubmit", args=[referral.pk])).content.decode()
    assert 'value="Fatma"' in page and 'value="Yilmas"' in page
    response = client.post(reverse("referrals:resubmit", args=[referral.pk]), {
        "first_name": "Fatima", "last_name": "Yilmaz", "target_groups": ["fs-andra-skal"],
        "basis": "Arbetslös.", "consent_given_on": today.isoformat(), "consent_scope": "Planering", "legal_ground": "",
    })
    assert response.status_code == 302
    referral.refresh_from_db()
    person = referral.participation.person
    person.refresh_from_db()
    assert referral.state == Referral.State.SUBMITTED
    assert (person.first_name, person.last_name) == ("Fatima", "Yilmaz")
    assert [g.code for g in referral.target_groups.all()] == ["fs-andra-skal"]
    entry = TimelineEntry.objects.get(participation=referral.participation, kind="referral_resubmitted")
    assert "Rättat: namn, målgrupper." in entry.text
    assert "Fatma" not in entry.text  # the old name is not copied into the timeline


def test_correction_needs_a_name_and_a_target_group(client, social_worker, coach, today):
    referral = _returned(coach, today)
    login(client, social_worker)
    response = client.post(reverse("referrals:resubmit", args=[referral.pk]), {
        "first_name": "", "last_name": "Yilmaz", "basis": "Arbetslös.", "consent_given_on": today.isoformat(),
        "consent_scope": "Planering",
    })
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ange förnamn." in html and "Välj minst en målgrupp." in html
    referral.refresh_from_db()
    assert referral.state == Referral.State.RETURNED


def test_correction_through_the_api(social_worker, coach, today):
    referral = _returned(coach, today)
    api = APIClient()
    api.force_authenticate(social_worker)
    response = api.post(f"/api/v1/referrals/{referral.pk}/resubmit/", {
        "basis": "Arbetslös.", "consent_given_on": today.isoformat(), "consent_scope": "Planering",
        "last_name": "Yilmaz", "target_groups": ["nybesok"],
    }, format="json")
    assert response.status_code == 200, response.json()
    referral.refresh_from_db()
    assert referral.participation.person.last_name == "Yilmaz"
    assert [g.code for g in referral.target_groups.all()] == ["nybesok"]
