"""OSA cases through the services: every rule of seed 000 section 3, refusals included, nothing saved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from jobbtorg.audit.models import AuditEntry
from jobbtorg.core.errors import AccessDenied, ConflictError, DomainError
from jobbtorg.core.workdays import add_months
from jobbtorg.deadlines.models import Deadline
from jobbtorg.osa import selectors, services
from jobbtorg.osa.models import IndividualReview, OsaCase, OsaPeriod, PlanVersion
from jobbtorg.osa.tests.conftest import actor_of
from jobbtorg.testing import factories as f

TODAY = timezone.localdate


def create(officer, person, employer, **kw):
    values = dict(
        employer_id=employer.pk, workplace="Parkavdelningen", grounds=["lss"], assessed_on=TODAY() - datetime.timedelta(days=20),
        assessed_by_district="Karin Ek", assessed_by_af="Per Al", af_unit_id=f.af_unit().pk,
        assessment_outcome="in_target_group", start_date=TODAY() - datetime.timedelta(days=10), months=6,
    )  # fmt: skip
    values.update(kw)
    return services.create_case(officer, actor_of(officer), person.pk, **values)


def extend(officer, case, months):
    case.refresh_from_db()
    return services.extend(officer, actor_of(officer), case.pk, version=case.version, months=months)


def review(officer, case):
    return services.record_review(officer, actor_of(officer), case.pk, reviewed_on=TODAY(), outcome="approved",
                                  reasoning="Behöver mer tid för att nå arbete på öppna marknaden.")  # fmt: skip


def test_osa_case_created_with_first_period_of_6_months(officer, person, city_employer):
    case = create(officer, person, city_employer)
    period = case.periods.get()
    assert period.months == 6 and period.end_date == add_months(period.start_date, 6) - datetime.timedelta(days=1)
    assert case.district_id == person.home_district_id
    assert AuditEntry.objects.filter(user_id=officer.pk, action="create", person_id=person.pk, outcome="allowed").exists()


def test_osa_needs_a_ground_and_joint_assessment(officer, person, city_employer):
    with pytest.raises(DomainError) as exc:
        create(officer, person, city_employer, grounds=[], assessed_on=None, assessed_by_district="", assessed_by_af="",
               af_unit_id=None, assessment_outcome="")  # fmt: skip
    assert {"grounds", "assessed_on", "assessed_by_district", "assessed_by_af", "af_unit", "assessment_outcome"} <= set(
        exc.value.message_dict
    )
    with pytest.raises(DomainError) as exc:
        create(officer, person, city_employer, assessment_outcome="not_in_target_group")
    assert "tillhör målgruppen" in exc.value.message_dict["assessment_outcome"][0]
    assert not OsaCase.objects.exists() and not OsaPeriod.objects.exists()


def test_osa_employer_municipal_company_refused(officer, person):
    for kind, word in [("municipal_company", "kommunalt bolag"), ("procured_operation", "upphandlad verksamhet"),
                       ("company", "stadens förvaltningar")]:  # fmt: skip
        employer = f.EmployerFactory(kind=kind)
        with pytest.raises(DomainError) as exc:
            create(officer, person, employer)
        assert word in exc.value.message_dict["employer"][0]
    assert not OsaCase.objects.exists()


def test_osa_first_period_other_length_needs_reason(officer, person, city_employer):
    with pytest.raises(DomainError) as exc:
        create(officer, person, city_employer, months=4)
    assert "length_reason" in exc.value.message_dict
    case = create(officer, person, city_employer, months=4, length_reason="AF:s beslut gäller fyra månader")
    assert case.periods.get().months == 4


def test_osa_extension_of_5_months_refused(officer, person, city_employer):
    case = create(officer, person, city_employer)
    for months in (5, 7, 24, None):
        with pytest.raises(DomainError) as exc:
            extend(officer, case, months)
        assert "6 eller 12 månader" in exc.value.message_dict["months"][0]
    assert case.periods.count() == 1
    assert extend(officer, case, 6).months == 6 and extend(officer, case, 12).months == 12


def test_osa_total_over_24_months_needs_individual_review(officer, person, city_employer):
    case = create(officer, person, city_employer)
    extend(officer, case, 12)
    extend(officer, case, 6)  # 6 + 12 + 6 = 24: at the limit, allowed without review
    assert services.total_months(case) == 24
    with pytest.raises(DomainError) as exc:
        extend(officer, case, 6)
    assert "mer än 24" in exc.value.message_dict["months"][0]
    assert case.periods.count() == 3 and services.total_months(case) == 24  # nothing saved
    # A review without reasoning is refused too.
    with pytest.raises(DomainError):
        services.record_review(officer, actor_of(officer), case.pk, reviewed_on=TODAY(), outcome="", reasoning="")
    assert not IndividualReview.objects.exists()
    r = review(officer, case)
    period = extend(officer, case, 12)
    assert period.review == r and services.total_months(case) == 36
    # The review is used: the next extension needs a new one.
    with pytest.raises(DomainError):
        extend(officer, case, 6)
    review(officer, case)
    assert extend(officer, case, 6).months == 6


def test_osa_extension_with_stale_version_conflicts(officer, person, city_employer):
    case = create(officer, person, city_employer)
    version = case.version
    services.extend(officer, actor_of(officer), case.pk, version=version, months=6)
    with pytest.raises(ConflictError):
        services.extend(officer, actor_of(officer), case.pk, version=version, months=6)
    assert case.periods.count() == 2


def test_osa_first_period_needs_joint_meeting(officer, person, city_employer):
    case = create(officer, person, city_employer)
    first = selectors.case_deadlines(case).get(kind="first_period_meeting")
    assert first.due_date == case.periods.get().end_date and first.done_on is None
    # AF missing: not a joint meeting.
    services.record_meeting(officer, actor_of(officer), case.pk, held_on=TODAY(), parties=["employee", "district"])
    assert selectors.case_deadlines(case).get(kind="first_period_meeting").done_on is None
    services.record_meeting(officer, actor_of(officer), case.pk, held_on=TODAY(), parties=["employee", "district", "af"])
    assert selectors.case_deadlines(case).get(kind="first_period_meeting").done_on == TODAY()
    with pytest.raises(DomainError):
        services.record_meeting(officer, actor_of(officer), case.pk, held_on=TODAY() + datetime.timedelta(days=1),
                                parties=["employee", "district", "af"])  # fmt: skip


def test_osa_first_period_meeting_overdue_shown_to_officer(officer, person, city_employer):
    late = f.OsaCaseFactory(person=person, started_long_ago=True)  # first period over, no meeting
    fine = f.OsaCaseFactory(person=f.PersonFactory())
    rows = list(selectors.officer_cases(officer))
    assert rows[0] == late and rows[0].overdue
    assert not next(r for r in rows if r == fine).overdue


def test_osa_yearly_joint_meeting(officer, person):
    case = f.OsaCaseFactory(person=person, started_long_ago=True, periods=[12, 12])
    first_end = case.periods.get(number=1).end_date
    yearly = selectors.case_deadlines(case).get(kind="yearly_meeting")
    assert yearly.due_date == add_months(first_end, 12)  # no first-period meeting: a year from the first period's end
    held = first_end - datetime.timedelta(days=30)
    services.record_meeting(officer, actor_of(officer), case.pk, held_on=held, parties=["employee", "af", "district"])
    rows = list(selectors.case_deadlines(case).order_by("due_date"))
    assert [(d.kind, d.done_on) for d in rows][:1] == [("first_period_meeting", held)]
    assert rows[1].kind == "yearly_meeting" and rows[1].due_date == add_months(held, 12) and rows[1].done_on is None


def test_osa_final_meeting_with_all_parties_when_transition_planned(officer, person):
    case = f.OsaCaseFactory(person=person)
    services.set_transition(officer, actor_of(officer), case.pk, version=case.version, planned=True)
    final = selectors.case_deadlines(case).get(kind="final_meeting")
    assert final.due_date == case.periods.get().end_date and final.done_on is None
    services.record_meeting(officer, actor_of(officer), case.pk, held_on=TODAY(),
                            parties=["employee", "af", "district", "jobbtorg", "workplace"])  # fmt: skip
    assert selectors.case_deadlines(case).get(kind="final_meeting").done_on == TODAY()


def test_osa_transfer_handover_date_decided_by_old_district(officer, person):
    case = f.OsaCaseFactory(person=person)
    new_officer = f.UserFactory(osa_officer=True, district=f.district("bromma"))
    handover = TODAY() + datetime.timedelta(days=14)
    # The person moves: the new district is the home district, but it can not decide the handover.
    person.home_district = f.district("bromma")
    person.save()
    with pytest.raises(AccessDenied):
        services.decide_transfer(new_officer, actor_of(new_officer), case.pk, version=case.version,
                                 to_district_id=new_officer.district_id, handover_on=handover)  # fmt: skip
    assert not case.transfers.exists()
    with pytest.raises(DomainError) as exc:
        services.decide_transfer(officer, actor_of(officer), case.pk, version=case.version,
                                 to_district_id=new_officer.district_id, handover_on=TODAY() - datetime.timedelta(days=1))  # fmt: skip
    assert "handover_on" in exc.value.message_dict
    services.decide_transfer(officer, actor_of(officer), case.pk, version=case.version,
                             to_district_id=new_officer.district_id, handover_on=handover)  # fmt: skip
    # Until the handover date the old district is responsible (and reaches the case), then the new one.
    assert [c.pk for c in selectors.officer_cases(officer)] == [case.pk]
    assert list(selectors.officer_cases(new_officer)) == []
    services.open_case(officer, actor_of(officer), case.pk, "sida")
    with pytest.raises(AccessDenied):
        services.open_case(new_officer, actor_of(new_officer), case.pk, "sida")
    assert list(selectors.officer_cases(officer, handover)) == []
    assert [c.pk for c in selectors.officer_cases(new_officer, handover)] == [case.pk]
    assert AuditEntry.objects.filter(user_id=new_officer.pk, outcome="refused", person_id=person.pk).count() == 2


def test_osa_case_refused_for_other_roles_and_logged(officer, person):
    case = f.OsaCaseFactory(person=person)
    for user in (f.UserFactory(social_worker=True), f.UserFactory(coach=True), f.UserFactory(osa_officer=True,
                 district=f.district("bromma"))):  # fmt: skip
        with pytest.raises(AccessDenied):
            services.open_case(user, actor_of(user), case.pk, "sida")
    assert AuditEntry.objects.filter(person_id=person.pk, outcome="refused", what__contains="OSA").count() == 3


def test_osa_only_home_district_officer_creates(person, city_employer):
    other = f.UserFactory(osa_officer=True, district=f.district("bromma"))
    with pytest.raises(AccessDenied):
        create(other, person, city_employer)
    coach = f.UserFactory(coach=True)
    f.ParticipationFactory(enrolled=True, coach=coach, person=person)
    with pytest.raises(PermissionDenied):
        create(coach, person, city_employer)
    assert not OsaCase.objects.exists()


def test_osa_plan_is_versioned_with_history_and_locking(officer, person):
    case = f.OsaCaseFactory(person=person)
    item = {"activity": "af_psychology", "responsible": "af", "planned_on": TODAY()}
    v1 = services.save_plan(officer, actor_of(officer), case.pk, version=0, items=[item])
    v2 = services.save_plan(officer, actor_of(officer), case.pk, version=1,
                            items=[item, {"activity": "jobbtorg_se", "responsible": "jobbtorg", "planned_on": TODAY()}])  # fmt: skip
    assert (v1.number, v2.number) == (1, 2) and v1.items.count() == 1 and v2.items.count() == 2
    with pytest.raises(ConflictError):
        services.save_plan(officer, actor_of(officer), case.pk, version=1, items=[item])
    with pytest.raises(DomainError) as exc:
        services.save_plan(officer, actor_of(officer), case.pk, version=2,
                           items=[{"activity": "skydiving", "responsible": "nasa", "planned_on": None}])  # fmt: skip
    assert {"items.0.activity", "items.0.responsible", "items.0.planned_on"} <= set(exc.value.message_dict)
    assert PlanVersion.objects.filter(plan__case=case).count() == 2


def test_annual_places_utilisation_per_district(officer):
    year = 2025
    f.AnnualPlacesFactory(district=f.district("rinkeby-kista"), year=year, planned=2)
    f.AnnualPlacesFactory(district=f.district("bromma"), year=year, planned=4)
    # Two persons in Rinkeby-Kista the whole year, one half the year (1 Jul - 31 Dec).
    for start, months in [(datetime.date(2025, 1, 1), 12), (datetime.date(2024, 7, 1), 24)]:
        case = f.OsaCaseFactory()
        OsaPeriod.objects.filter(case=case).update(start_date=start, end_date=add_months(start, months) - datetime.timedelta(days=1),
                                                   months=months)  # fmt: skip
    half = f.OsaCaseFactory()
    OsaPeriod.objects.filter(case=half).update(start_date=datetime.date(2025, 7, 1), end_date=datetime.date(2025, 12, 31))
    rows = {r.district.code: r for r in selectors.annual_places(year)}
    rk, bromma = rows["rinkeby-kista"], rows["bromma"]
    assert rk.planned == 2 and rk.persons == 3
    assert rk.used_place_years == pytest.approx(2 + 184 / 365, abs=0.01)
    assert rk.utilisation == pytest.approx(125.2, abs=0.1)
    assert bromma.planned == 4 and bromma.used_place_years == 0 and bromma.utilisation == 0
    assert rows["skarholmen"].utilisation is None  # nothing planned


def test_annual_places_split_at_handover(officer):
    case = f.OsaCaseFactory()
    OsaPeriod.objects.filter(case=case).update(start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2025, 12, 31))
    bromma = f.district("bromma")
    case.transfers.create(from_district=case.district, to_district=bromma, decided_on=datetime.date(2025, 3, 1),
                          handover_on=datetime.date(2025, 7, 1), decided_by=officer)  # fmt: skip
    OsaCase.objects.filter(pk=case.pk).update(district=bromma)  # folded after the handover
    rows = {r.district.code: r for r in selectors.annual_places(2025)}
    assert rows["rinkeby-kista"].used_place_years == pytest.approx(181 / 365, abs=0.01)
    assert rows["bromma"].used_place_years == pytest.approx(184 / 365, abs=0.01)


def test_annual_places_only_own_district(officer):
    with pytest.raises(DomainError):
        services.set_annual_places(officer, district_id=f.district("bromma").pk, year=2026, planned=3)
    with pytest.raises(PermissionDenied):
        services.set_annual_places(f.UserFactory(coach=True), district_id=officer.district_id, year=2026, planned=3)
    row = services.set_annual_places(officer, district_id=officer.district_id, year=2026, planned=3)
    services.set_annual_places(officer, district_id=officer.district_id, year=2026, planned=5, version=row.version)
    with pytest.raises(ConflictError):
        services.set_annual_places(officer, district_id=officer.district_id, year=2026, planned=6, version=row.version)


def test_osa_deadlines_stored(officer, person):
    case = f.OsaCaseFactory(person=person)
    # ADR 0016: the follow-ups live in the one deadline store, with the case as subject.
    stored = Deadline.objects.filter(kind="first_period_meeting", status="open", subject_id=case.pk)
    assert stored.count() == 1 and stored.get().responsible == "osa" and stored.get().participation is None


def test_osa_individual_review_is_a_decision(officer, person, city_employer):
    """Decider (the recording officer, a user), date and outcome; a refusal allows no extension past 24
    months, an approval does; timeline and audit name the outcome; no free-text "Prövad av"."""
    case = create(officer, person, city_employer)
    extend(officer, case, 12)
    extend(officer, case, 6)
    with pytest.raises(DomainError) as exc:
        services.record_review(officer, actor_of(officer), case.pk, reviewed_on=TODAY(), outcome="maybe",
                               reasoning="Fortsatt behov av stöd.")  # fmt: skip
    assert "outcome" in exc.value.message_dict
    refused = services.record_review(officer, actor_of(officer), case.pk, reviewed_on=TODAY(), outcome="refused",
                                     reasoning="Personen bedöms kunna gå vidare till annat arbete.")  # fmt: skip
    assert refused.decided_by == officer and refused.reviewed_on == TODAY() and not refused.approves
    assert refused.decider_name and refused.legacy_reviewed_by == ""
    with pytest.raises(DomainError):
        extend(officer, case, 6)  # a refusing review allows nothing
    approved = services.record_review(officer, actor_of(officer), case.pk, reviewed_on=TODAY(), outcome="approved",
                                      reasoning="Behöver mer tid för att nå arbete på öppna marknaden.")  # fmt: skip
    assert extend(officer, case, 6).review == approved
    entry = case.person.timeline.filter(kind="osa_review_recorded").order_by("id").first()
    assert entry is not None and "förlängs inte" in entry.text and entry.data["outcome"] == "refused"
    assert AuditEntry.objects.filter(what__contains="individuell prövning beslutad (refused)").exists()


def test_osa_review_in_the_future_refused(officer, person, city_employer):
    case = create(officer, person, city_employer)
    with pytest.raises(DomainError) as exc:
        services.record_review(officer, actor_of(officer), case.pk, reviewed_on=TODAY() + datetime.timedelta(days=1),
                               outcome="approved", reasoning="Fortsatt behov av stöd.")  # fmt: skip
    assert "reviewed_on" in exc.value.message_dict
    assert not IndividualReview.objects.exists()
