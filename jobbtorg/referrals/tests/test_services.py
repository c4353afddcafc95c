"""Referral rules (DOMAIN §3, §4.1; issue 3 part 1): who refers, which unit, which groups,
consent or legal ground, the first appointment and the clocks. Refusals save nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.core.errors import DomainError
from jobbtorg.core.workdays import add_working_days
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import Kind
from jobbtorg.organisation.models import District, ServiceArea
from jobbtorg.participations.models import Participation, Status
from jobbtorg.participations.tests.fixtures import actor_for
from jobbtorg.people.models import Person
from jobbtorg.referrals.models import Referral
from jobbtorg.referrals.services import create_referral
from jobbtorg.referrals.tests.helpers import referral_input
from jobbtorg.testing import factories as f
from jobbtorg.timeline.models import TimelineEntry

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "person": Person.objects.count(),
        "participation": Participation.objects.count(),
        "referral": Referral.objects.count(),
        "deadline": Deadline.objects.count(),
        "timeline": TimelineEntry.objects.count(),
    }


def refuse(user, data, field: str) -> list[str]:
    before = counts()
    with pytest.raises(DomainError) as exc:
        create_referral(user, actor_for(user), data)
    assert field in exc.value.message_dict, exc.value.message_dict
    assert counts() == before, "nothing may be saved"
    return exc.value.message_dict[field]


def test_referral_registers_person_opens_participation_and_books_first_appointment(social_worker, coach):
    data = referral_input(coach)
    referral = create_referral(social_worker, actor_for(social_worker), data)

    p = referral.participation
    assert p.status == Status.REFERRED
    assert p.unit.code == "jarva"
    assert p.home_district.code == "rinkeby-kista"
    assert p.coach == coach  # provisional: the coach of the first appointment
    assert p.person.personnummer == data.personnummer
    assert referral.referred_by == social_worker
    assert [g.code for g in referral.target_groups.all()] == ["fs-arbetsloshet"]
    appointment = p.appointments.get()
    assert appointment.coach == coach and appointment.place == "Jobbtorg Järva, Kista"
    first = Deadline.objects.get(participation=p, kind=Kind.FIRST_APPOINTMENT)
    assert first.due_date == timezone.localdate(data.appointment_at)
    kinds = list(TimelineEntry.objects.filter(participation=p).values_list("kind", flat=True))
    assert "referral_received" in kinds and "appointment_booked" in kinds
    assert AuditEntry.objects.filter(action=Action.CREATE, person_id=p.person_id, what="anvisning").exists()


def test_provisional_coach_goes_through_the_participations_write_path(social_worker, coach):
    """DOMAIN §4.2 (the booked coach is the coach until the unit manager assigns one); issue 9 item 4: the
    referral sets it through participations.services, so the version moves, the timeline says so and the
    change is audited with old and new value; it is not an assignment (coach_assigned_on stays empty)."""
    referral = create_referral(social_worker, actor_for(social_worker), referral_input(coach))

    p = Participation.objects.get(pk=referral.participation_id)
    assert p.coach == coach and p.coach_assigned_on is None
    assert p.version == 2  # created at 1, one versioned save
    entry = TimelineEntry.objects.get(participation=p, kind="coach_assigned")
    assert entry.author == social_worker
    assert entry.data == {"coach": coach.pk, "old": None, "new": coach.pk, "provisional": True}
    change = AuditEntry.objects.get(action=Action.CHANGE, person_id=p.person_id, user_id=social_worker.pk)
    assert change.outcome == Outcome.ALLOWED and change.details == {"coach": {"old": None, "new": coach.pk}}


def test_job_guarantee_group_gets_offer_deadline_within_5_working_days(social_worker, coach, today):
    referral = create_referral(social_worker, actor_for(social_worker), referral_input(coach))
    deadline = Deadline.objects.get(participation=referral.participation, kind=Kind.JOB_GUARANTEE_OFFER)
    assert deadline.due_date == add_working_days(today, 5)


def test_other_groups_than_job_guarantee_get_no_offer_deadline(social_worker, coach):
    referral = create_referral(social_worker, actor_for(social_worker), referral_input(coach, target_groups=["sfi"]))
    assert not Deadline.objects.filter(participation=referral.participation, kind=Kind.JOB_GUARANTEE_OFFER).exists()


def test_referral_unit_from_service_area_valid_on_referral_date(social_worker, today):
    # Rinkeby-Kista moves from Järva to Jobbtorg för unga on `switch` (data with dates, not code).
    switch = today - datetime.timedelta(days=10)
    rinkeby = f.district("rinkeby-kista")
    ServiceArea.objects.filter(district=rinkeby).update(valid_to=switch - datetime.timedelta(days=1))
    ServiceArea.objects.create(district=rinkeby, unit=f.unit("unga"), valid_from=switch)
    jarva_coach = f.UserFactory(coach=True)
    unga_coach = f.UserFactory(coach=True, jobbtorg_unit=f.unit("unga"))

    before = create_referral(
        social_worker,
        actor_for(social_worker),
        referral_input(jarva_coach, referred_on=switch - datetime.timedelta(days=1), consent_given_on=switch - datetime.timedelta(days=1)),
    )
    after = create_referral(social_worker, actor_for(social_worker), referral_input(unga_coach, referred_on=switch, consent_given_on=switch))

    assert before.participation.unit.code == "jarva" and before.derived_unit.code == "jarva"
    assert after.participation.unit.code == "unga" and after.derived_unit.code == "unga"


def test_referral_for_district_without_unit_that_day_refused(today):
    lonely = District.objects.create(code="ny-stadsdel", name="Ny stadsdel", valid_from=datetime.date(2000, 1, 1))
    worker = f.UserFactory(social_worker=True, district=lonely)
    messages = refuse(worker, referral_input(f.UserFactory(coach=True)), "referred_on")
    assert "har inget jobbtorg" in messages[0]


def test_referral_for_unknown_district_refused(social_worker, coach):
    messages = refuse(social_worker, referral_input(coach, home_district_id=987654), "home_district")
    assert messages == ["Stadsdelen finns inte – välj en i listan."]


def test_referral_by_other_district_refused(coach):
    bromma_worker = f.UserFactory(social_worker=True, district=f.district("bromma"))
    resident = f.PersonFactory(home_district=f.district("rinkeby-kista"))

    # An existing person of another district: refused, and the attempt is logged as refused.
    messages = refuse(bromma_worker, referral_input(coach, personnummer=resident.personnummer), "personnummer")
    assert "inte skriven i din stadsdel" in messages[0]
    assert AuditEntry.objects.filter(person_id=resident.pk, outcome=Outcome.REFUSED, user_id=bromma_worker.pk).exists()

    # A new person said to live in another district.
    messages = refuse(bromma_worker, referral_input(coach, home_district_id=f.district("rinkeby-kista").pk), "home_district")
    assert "din stadsdel (Bromma)" in messages[0]


def test_only_social_workers_refer(coach):
    with pytest.raises(PermissionDenied):
        create_referral(coach, actor_for(coach), referral_input(coach))
    assert not Participation.objects.exists()
    assert AuditEntry.objects.filter(outcome=Outcome.REFUSED, user_id=coach.pk).exists()


def test_other_groups_need_all_three_conditions(social_worker, coach):
    two_of_three = referral_input(
        coach, target_groups=["ovriga"], other_need_assessed=True, other_af_no_measure=True, other_assistance_decision=False
    )
    messages = refuse(social_worker, two_of_three, "target_groups")
    assert "alla tre villkor" in messages[0]

    all_three = referral_input(
        coach, target_groups=["ovriga"], other_need_assessed=True, other_af_no_measure=True, other_assistance_decision=True
    )
    referral = create_referral(social_worker, actor_for(social_worker), all_three)
    assert referral.other_assistance_decision


def test_referral_needs_consent_or_legal_ground(social_worker, coach):
    refuse(social_worker, referral_input(coach, consent_given_on=None, consent_scope=""), "consent_given_on")
    refuse(social_worker, referral_input(coach, consent_scope=""), "consent_scope")
    referral = create_referral(
        social_worker,
        actor_for(social_worker),
        referral_input(coach, consent_given_on=None, consent_scope="", legal_ground="10 kap. 2 § OSL, nödvändigt utlämnande"),
    )
    assert referral.legal_ground.startswith("10 kap.")


def test_sensitive_target_group_needs_consent_not_only_legal_ground(social_worker, coach):
    data = referral_input(coach, target_groups=["romsk-inkludering"], consent_given_on=None, consent_scope="", legal_ground="SoL")
    assert "samtycke" in refuse(social_worker, data, "target_groups")[0]


def test_referral_needs_a_target_group_and_basis(social_worker, coach):
    refuse(social_worker, referral_input(coach, target_groups=[]), "target_groups")
    refuse(social_worker, referral_input(coach, target_groups=["finns-inte"]), "target_groups")
    refuse(social_worker, referral_input(coach, basis="  "), "basis")


def test_referral_date_in_future_refused(social_worker, coach, today):
    refuse(social_worker, referral_input(coach, referred_on=today + datetime.timedelta(days=1)), "referred_on")


def test_other_unit_needs_a_reason(social_worker):
    sydost_coach = f.UserFactory(coach=True, jobbtorg_unit=f.unit("sydost"))
    sydost = f.unit("sydost").pk
    refuse(social_worker, referral_input(sydost_coach, unit_id=sydost), "unit_reason")

    referral = create_referral(
        social_worker, actor_for(social_worker), referral_input(sydost_coach, unit_id=sydost, unit_reason="Specialiserad insats")
    )
    assert referral.participation.unit.code == "sydost"
    assert referral.derived_unit.code == "jarva"
    assert referral.unit_overridden


def test_first_appointment_coach_must_work_at_receiving_unit(social_worker):
    elsewhere = f.UserFactory(coach=True, jobbtorg_unit=f.unit("sydost"))
    refuse(social_worker, referral_input(elsewhere), "appointment_coach")
    refuse(social_worker, referral_input(None), "appointment_coach")


def test_first_appointment_needs_time_and_place(social_worker, coach):
    refuse(social_worker, referral_input(coach, appointment_at=None), "appointment_at")
    refuse(social_worker, referral_input(coach, appointment_place=""), "appointment_place")


def test_bad_personnummer_refused(social_worker, coach):
    refuse(social_worker, referral_input(coach, personnummer="19850709-9806"), "personnummer")


def test_new_person_needs_names(social_worker, coach):
    refuse(social_worker, referral_input(coach, first_name=""), "first_name")


def test_existing_person_found_by_personnummer_within_access(social_worker, coach):
    resident = f.PersonFactory(home_district=f.district("rinkeby-kista"))
    referral = create_referral(
        social_worker, actor_for(social_worker), referral_input(coach, personnummer=resident.personnummer, first_name="")
    )
    assert referral.participation.person == resident


def test_referral_refused_while_open_participation_exists(social_worker, coach):
    running = f.ParticipationFactory(enrolled=True)
    messages = refuse(social_worker, referral_input(coach, personnummer=running.person.personnummer), "personnummer")
    assert "pågående deltagande" in messages[0]


def test_later_referral_opens_new_participation_linked_to_the_latest(social_worker, coach, today):
    person = f.PersonFactory()
    first = f.ParticipationFactory(
        person=person,
        closed=True,
        referred_on=today - datetime.timedelta(days=500),
        arrived_on=today - datetime.timedelta(days=490),
        closed_on=today - datetime.timedelta(days=300),
    )
    second = f.ParticipationFactory(person=person, closed=True)
    referral = create_referral(social_worker, actor_for(social_worker), referral_input(coach, personnummer=person.personnummer))
    assert referral.participation.previous == second
    assert referral.participation.pk not in (first.pk, second.pk)


def test_one_open_participation_per_person_is_a_database_rule(social_worker):
    from django.db import IntegrityError, transaction

    running = f.ParticipationFactory(enrolled=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(
            person=running.person, unit=running.unit, home_district=running.home_district, referred_on=running.referred_on
        )
