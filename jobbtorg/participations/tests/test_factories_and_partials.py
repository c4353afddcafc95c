"""Every participation/referral factory state builds and satisfies the constraints; the partials
for the lead's pages render with what the selectors return."""

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from jobbtorg.access.sections import visible_sections
from jobbtorg.participations import selectors
from jobbtorg.participations.models import Interruption, Status
from jobbtorg.referrals.selectors import returned_referrals
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("state", "status"),
    [("referred", Status.REFERRED), ("enrolled", Status.ACTIVE), ("interrupted", Status.INTERRUPTED), ("closed", Status.CLOSED)],
)
def test_participation_states_build(state, status):
    p = f.ParticipationFactory(**{state: True})
    assert p.status == status
    if state == "interrupted":
        assert Interruption.objects.get(participation=p).end_date is None
    if state == "closed":
        assert p.closure_reason and p.closed_on >= p.arrived_on >= p.referred_on


def test_referral_appointment_interruption_followup_factories_build():
    referral = f.ReferralFactory()
    assert referral.participation.status == Status.REFERRED and referral.target_groups.count() == 1
    assert f.AppointmentFactory().coach.role == "coach"
    assert f.InterruptionFactory().participation.status == Status.INTERRUPTED
    assert f.PostClosureFollowUpFactory().participation.status == Status.CLOSED


def test_person_section_partial_lists_participations(coach):
    referral = f.ReferralFactory(participation__coach=coach)
    person = referral.participation.person
    context = {"person": person, "participations": selectors.for_person(person), "sections": visible_sections(coach)}
    html = render_to_string("participations/_person_section.html", context)
    assert "Jobbtorg Järva" in html and "Försörjningsstöd på grund av arbetslöshet" in html


def test_returned_referrals_partial(social_worker, coach):
    referral = f.ReferralFactory(state="returned", returned_on=timezone.localdate(), return_reason="Samtycke saknas")
    html = render_to_string("referrals/_returned.html", {"returned": returned_referrals(social_worker)})
    assert "Samtycke saknas" in html and referral.participation.person.last_name in html


def test_appointments_today_partial(coach):
    # The booked coach is the participation's (provisional) coach: issue 8 item 6, own caseload.
    appointment = f.AppointmentFactory(coach=coach, participation__coach=coach, starts_at=timezone.now())
    html = render_to_string("participations/_appointments_today.html", {"appointments": selectors.coach_appointments(coach)})
    assert appointment.participation.person.last_name in html


def test_caseload_balance_partial(manager, coach):
    f.ParticipationFactory(enrolled=True, coach=coach)
    html = render_to_string("participations/_caseload_balance.html", {"balance": selectors.caseload_balance(manager.jobbtorg_unit)})
    assert coach.get_full_name() in html
