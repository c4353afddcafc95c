"""The OSA case as a state machine (DOMAIN §10, seed 000 section 3; ADR 0014): the table walked
per role, ending a case within its employment with a reason, the handover applied to the stored
case by the service, and the case page offering exactly the steps the table allows."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from jobbtorg.accounts.models import Role
from jobbtorg.audit.models import AuditEntry
from jobbtorg.core.capabilities import holds
from jobbtorg.core.errors import DomainError
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import OSA_KINDS
from jobbtorg.notifications.scheduler import JOBS
from jobbtorg.osa import rules, selectors, services
from jobbtorg.osa.models import OsaCase
from jobbtorg.osa.rules import CaseAction, CaseStatus, EndReason
from jobbtorg.osa.tests.conftest import actor_of
from jobbtorg.testing import factories as f
from jobbtorg.testing.capabilities import user_at
from jobbtorg.timeline.models import TimelineEntry

DAY = datetime.timedelta(days=1)
TODAY = timezone.localdate
ALL_ACTIONS = set(CaseAction)


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("status", list(CaseStatus))
def test_only_the_osa_officer_takes_steps_and_only_while_the_employment_runs(role, status):
    """Seed 000: the OSA officer of the responsible district runs the case (osa.access decides the
    district); an ended employment takes no further step."""
    expected = ALL_ACTIONS if role == Role.OSA_OFFICER and status == CaseStatus.ACTIVE else set()
    officer = user_at(role)  # the relation to the case is osa.access's; the step asks the role (services)
    assert set(rules.allowed_actions(status, lambda capability: holds(officer, f"osa.{capability}"))) == expected


@pytest.mark.parametrize("action", list(CaseAction))
def test_every_step_from_an_ended_case_is_refused_in_swedish(action):
    with pytest.raises(DomainError) as refused:
        rules.next_status(CaseStatus.ENDED, action)
    assert refused.value.message_dict["non_field_errors"] == ["OSA-anställningen är avslutad och kan inte ändras."]
    assert rules.next_status(CaseStatus.ACTIVE, action) == (CaseStatus.ENDED if action == CaseAction.END else CaseStatus.ACTIVE)


def test_each_step_names_a_declared_capability():
    assert {step.capability for step in rules.TRANSITIONS.values()} <= set(rules.CAPABILITIES)


def _end(officer, case, **kw):
    case.refresh_from_db()
    values = {"ended_on": TODAY(), "reason": EndReason.OTHER_EMPLOYMENT, "reason_text": ""} | kw
    return services.end_case(officer, actor_of(officer), case.pk, version=case.version, **values)


@pytest.mark.django_db
def test_ending_records_reason_and_date_and_drops_later_follow_ups(officer, person):
    case = f.OsaCaseFactory(person=person)
    follow_ups = Deadline.objects.filter(kind__in=OSA_KINDS, subject_id=case.pk)
    assert follow_ups.filter(due_date__gt=TODAY(), status=Deadline.Status.OPEN).exists()
    _end(officer, case)
    case.refresh_from_db()
    assert (case.status, case.ended_on, case.end_reason) == (CaseStatus.ENDED, TODAY(), EndReason.OTHER_EMPLOYMENT)
    assert not follow_ups.filter(status=Deadline.Status.OPEN).exists()
    assert TimelineEntry.objects.filter(person=person, kind="osa_case_ended").count() == 1
    assert AuditEntry.objects.filter(user_id=officer.pk, person_id=person.pk, what__contains="avslut").exists()
    # The person may get a new OSA employment once this one has ended.
    assert selectors.person_section(officer, person)["osa_can_create"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"reason": EndReason.OTHER, "reason_text": " "}, "reason_text"),
        ({"ended_on": None}, "ended_on"),
        ({"ended_on": TODAY() + DAY}, "ended_on"),  # not in the future
        ({"ended_on": TODAY() - 60 * DAY}, "ended_on"),  # before the first period began (30 days ago)
        ({"reason": EndReason.PERIOD_ENDED}, "ended_on"),  # time ran out: the last period's last day only
    ],
)
def test_ending_outside_the_domain_bounds_is_refused_and_nothing_saved(officer, person, values, field):
    case = f.OsaCaseFactory(person=person)
    with pytest.raises(DomainError) as refused:
        _end(officer, case, **values)
    assert field in refused.value.message_dict
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE and case.ended_on is None


@pytest.mark.django_db
def test_an_employment_whose_time_ran_out_ends_on_its_last_day(officer, person):
    case = f.OsaCaseFactory(person=person, started_long_ago=True)  # the 6-month period ended a year ago
    last_day = case.periods.get().end_date
    _end(officer, case, reason=EndReason.PERIOD_ENDED, ended_on=last_day)
    case.refresh_from_db()
    assert case.ended_on == last_day


ATTEMPTS = {
    CaseAction.EXTEND: lambda o, c: services.extend(o, actor_of(o), c.pk, version=c.version, months=6),
    CaseAction.REVIEW: lambda o, c: services.record_review(o, actor_of(o), c.pk, reviewed_on=TODAY(), outcome="approved",
                                                          reasoning="Behöver längre tid i anställningen."),
    CaseAction.PLAN: lambda o, c: services.save_plan(o, actor_of(o), c.pk, version=0,
                                                    items=[{"activity": "af_aids", "responsible": "af", "planned_on": TODAY()}]),
    CaseAction.MEETING: lambda o, c: services.record_meeting(o, actor_of(o), c.pk, held_on=TODAY(), parties=["af", "employee"]),
    CaseAction.TRANSITION: lambda o, c: services.set_transition(o, actor_of(o), c.pk, version=c.version, planned=True),
    CaseAction.TRANSFER: lambda o, c: services.decide_transfer(o, actor_of(o), c.pk, version=c.version,
                                                              to_district_id=f.district("bromma").pk, handover_on=TODAY() + DAY),
    CaseAction.END: lambda o, c: _end(o, c),
}  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(CaseAction))
def test_the_services_take_each_step_on_a_running_case_and_refuse_it_on_an_ended_one(officer, person, action):
    running = f.OsaCaseFactory(person=person)
    ATTEMPTS[action](officer, running)  # allowed: no error
    ended = f.OsaCaseFactory(person=f.PersonFactory())
    _end(officer, ended)
    ended.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        ATTEMPTS[action](officer, ended)
    assert refused.value.message_dict["non_field_errors"] == ["OSA-anställningen är avslutad och kan inte ändras."]


@pytest.mark.django_db
def test_a_role_without_the_capability_is_refused_and_logged(officer, person, monkeypatch):
    """Defence in depth: were osa.access ever to let another role reach a case, the table still refuses."""
    case = f.OsaCaseFactory(person=person)
    coach = f.UserFactory(coach=True)
    monkeypatch.setattr(services, "may_open", lambda user, case, today: True)
    with pytest.raises(PermissionDenied):
        _end(coach, case)
    assert AuditEntry.objects.filter(user_id=coach.pk, outcome="refused", what__contains="avslut").exists()


# --- the handover is applied by the service ---------------------------------------------------


@pytest.mark.django_db
def test_a_handover_decided_for_today_takes_effect_at_once(officer, person):
    """Seed 000: the old district decides when the new one takes over the employer role."""
    case = f.OsaCaseFactory(person=person)
    bromma = f.district("bromma")
    services.decide_transfer(officer, actor_of(officer), case.pk, version=case.version, to_district_id=bromma.pk,
                             handover_on=TODAY())  # fmt: skip
    case.refresh_from_db()
    assert (case.district_id, case.next_district_id, case.handover_on) == (bromma.pk, None, None)
    assert TimelineEntry.objects.filter(person=person, kind="osa_handed_over").count() == 1


@pytest.mark.django_db
def test_the_daily_job_applies_handovers_whose_day_has_come(officer, person):
    case = f.OsaCaseFactory(person=person)
    bromma = f.district("bromma")
    handover = TODAY() + 14 * DAY
    services.decide_transfer(officer, actor_of(officer), case.pk, version=case.version, to_district_id=bromma.pk,
                             handover_on=handover)  # fmt: skip
    assert services.apply_due_handovers(handover - DAY) == 0
    assert services.apply_due_handovers(handover) == 1
    case.refresh_from_db()
    assert (case.district_id, case.next_district_id, case.handover_on) == (bromma.pk, None, None)
    assert services.apply_due_handovers(handover) == 0  # a second run finds nothing
    assert AuditEntry.objects.filter(person_id=person.pk, what__contains="överlämning").count() == 1
    assert "osa_handovers" in {job.name for job in JOBS}


# --- the page offers exactly the allowed steps ------------------------------------------------

FORMS = {
    CaseAction.EXTEND: "osa:extend",
    CaseAction.REVIEW: "osa:review",
    CaseAction.PLAN: "osa:plan",
    CaseAction.MEETING: "osa:meeting",
    CaseAction.TRANSITION: "osa:transition",
    CaseAction.TRANSFER: "osa:transfer",
    CaseAction.END: "osa:end",
}


def _offered(client, case):
    html = client.get(reverse("osa:detail", args=[case.pk])).content.decode()
    return {action for action, name in FORMS.items() if f'action="{reverse(name, args=[case.pk])}"' in html}


@pytest.mark.django_db
def test_the_case_page_offers_exactly_the_allowed_steps(client, officer, person):
    case = f.OsaCaseFactory(person=person)
    client.force_login(officer)
    assert _offered(client, case) == ALL_ACTIONS
    response = client.post(reverse("osa:end", args=[case.pk]), {"end-version": case.version, "end-reason": "studies",
                                                                "end-ended_on": TODAY().isoformat()})  # fmt: skip
    assert response.status_code == 302
    assert OsaCase.objects.get(pk=case.pk).status == CaseStatus.ENDED
    assert _offered(client, case) == set()
    assert "Övergång till studier" in client.get(reverse("osa:detail", args=[case.pk])).content.decode()


@pytest.mark.django_db
def test_the_end_page_shows_the_errors_by_their_fields(client, officer, person):
    case = f.OsaCaseFactory(person=person)
    client.force_login(officer)
    response = client.post(reverse("osa:end", args=[case.pk]), {"end-version": case.version, "end-reason": "",
                                                                "end-ended_on": TODAY().isoformat()})  # fmt: skip
    assert response.status_code == 400 and "Välj varför anställningen avslutas." in response.content.decode()


@pytest.mark.django_db
def test_the_api_ends_a_case_and_shows_its_status(client, officer, person):
    case = f.OsaCaseFactory(person=person)
    client.force_login(officer)
    url = f"/api/v1/osa-cases/{case.pk}/end/"
    body = {"version": case.version, "reason": "employee_left", "ended_on": TODAY().isoformat()}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["end_reason"]) == ("ended", "employee_left")
    again = client.post(url, {**body, "version": case.version + 1}, content_type="application/json")
    assert again.status_code == 400 and "avslutad" in again.content.decode()  # an ended case takes no step


@pytest.mark.django_db
def test_an_ended_case_is_listed_as_ended_and_never_as_overdue(client, officer, person):
    case = f.OsaCaseFactory(person=person, started_long_ago=True)  # its first-period meeting is long overdue
    assert [c.overdue for c in selectors.officer_cases(officer)] == [True]
    _end(officer, case, reason=EndReason.PERIOD_ENDED, ended_on=case.periods.get().end_date)
    assert [(c.overdue, c.next_due) for c in selectors.officer_cases(officer)] == [(False, None)]
    client.force_login(officer)
    assert "Avslutad" in client.get(reverse("osa:index")).content.decode()


@pytest.mark.django_db
def test_a_due_handover_not_yet_applied_is_applied_before_the_next_transfer(officer, person):
    """If the daily job has not run yet, the new district's officer still decides the next move."""
    from jobbtorg.testing.clock import on

    case = f.OsaCaseFactory(person=person)
    bromma = f.district("bromma")
    handover = TODAY() + 14 * DAY
    services.decide_transfer(officer, actor_of(officer), case.pk, version=case.version, to_district_id=bromma.pk,
                             handover_on=handover)  # fmt: skip
    new_officer = f.UserFactory(osa_officer=True, district=bromma)
    case.refresh_from_db()
    with on(handover):
        services.decide_transfer(new_officer, actor_of(new_officer), case.pk, version=case.version,
                                 to_district_id=f.district("skarpnack").pk, handover_on=handover + 30 * DAY)  # fmt: skip
    case.refresh_from_db()
    assert (case.district_id, case.next_district_id) == (bromma.pk, f.district("skarpnack").pk)
