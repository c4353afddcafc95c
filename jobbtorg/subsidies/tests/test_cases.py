"""Subsidy cases (issue 4 part 1): the rules of seed 000 §1, through the one write path.

Every refusal also checks that nothing was saved.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from jobbtorg.audit.models import Action, AuditEntry
from jobbtorg.core.errors import AccessDenied, ConflictError, DomainError
from jobbtorg.subsidies import rules, selectors, services
from jobbtorg.subsidies.models import CaseStatus, Route, StepStatus, SubsidyCase, SubsidyStep
from jobbtorg.subsidies.steps import StepKind
from jobbtorg.testing import factories as f
from jobbtorg.timeline.models import TimelineEntry

from .conftest import actor_for

pytestmark = pytest.mark.django_db

D = datetime.date


def create(user, participation, employer, **kwargs):
    values = {
        "participation_id": participation.pk,
        "subsidy_type": "nystartsjobb",
        "employer_id": employer.pk,
        "notified_on": kwargs.pop("today", D(2026, 3, 2)),
    }
    values.update(kwargs)
    return services.create_case(user, actor_for(user), services.NewCase(**values), today=D(2026, 3, 10))


def test_create_nystartsjobb_appends_timeline_and_audit(coach, participation, employer):
    case = create(coach, participation, employer, planned_start=D(2026, 4, 1))
    assert case.status == CaseStatus.NOTIFIED
    assert case.route == Route.DIGITAL
    assert TimelineEntry.objects.filter(kind="subsidy_case_created", participation=participation).exists()
    assert AuditEntry.objects.filter(action=Action.CREATE, person_id=participation.person_id).exists()


def test_preceded_by_practice_requires_agreed_phrase(coach, participation, employer):
    with pytest.raises(DomainError) as exc:
        create(coach, participation, employer, preceded_by_practice=True, notification_text="Börjar med praktik först.")
    assert "notification_text" in exc.value.message_dict
    assert "Stockholmsjobb/praktik" in exc.value.message_dict["notification_text"][0]
    assert not SubsidyCase.objects.exists()
    for text in ("Stockholmsjobb/praktik från 1 april", "anställning och praktik", "Anställning / praktik"):
        assert create(coach, participation, employer, preceded_by_practice=True, notification_text=text).pk


def test_agreed_phrase_not_needed_without_practice(coach, participation, employer):
    assert create(coach, participation, employer, preceded_by_practice=False, notification_text="").pk


def test_introduktionsjobb_requires_supervisor(coach, participation, employer):
    with pytest.raises(DomainError) as exc:
        create(coach, participation, employer, subsidy_type="introduktionsjobb")
    assert set(exc.value.message_dict) >= {"supervisor_name", "supervisor_phone"}
    assert not SubsidyCase.objects.exists()


def test_introduktionsjobb_supervisor_from_employer_contact(coach, participation, employer, supervisor):
    case = create(coach, participation, employer, subsidy_type="introduktionsjobb", supervisor_contact_id=supervisor.pk)
    assert (case.supervisor_name, case.supervisor_phone) == ("Hanna Handledare", "08-111 222 33")


def test_supervisor_contact_of_another_employer_refused(coach, participation, employer):
    stranger = f.EmployerContactFactory()
    with pytest.raises(DomainError) as exc:
        create(coach, participation, employer, subsidy_type="introduktionsjobb", supervisor_contact_id=stranger.pk)
    assert "supervisor_contact" in exc.value.message_dict
    assert not SubsidyCase.objects.exists()


def test_planned_start_before_notification_refused(coach, participation, employer):
    with pytest.raises(DomainError) as exc:
        create(coach, participation, employer, planned_start=D(2026, 3, 1))
    assert "planned_start" in exc.value.message_dict
    assert not SubsidyCase.objects.exists()


def test_notification_in_future_refused(coach, participation, employer):
    with pytest.raises(DomainError) as exc:
        create(coach, participation, employer, notified_on=D(2026, 3, 11))
    assert "notified_on" in exc.value.message_dict


def test_decision_before_notification_refused(coach, participation, employer):
    case = create(coach, participation, employer)
    with pytest.raises(DomainError) as exc:
        services.record_decision(
            coach, actor_for(coach), case.pk, version=case.version, decision_on=D(2026, 3, 1),
            period_from=D(2026, 3, 5), period_to=D(2026, 9, 4), today=D(2026, 3, 10),
        )  # fmt: skip
    assert "decision_on" in exc.value.message_dict
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED and case.decision_on is None


def test_decision_period_end_before_start_refused(coach, participation, employer):
    case = create(coach, participation, employer)
    with pytest.raises(DomainError) as exc:
        services.record_decision(
            coach,
            actor_for(coach),
            case.pk,
            version=case.version,
            decision_on=D(2026, 3, 4),
            period_from=D(2026, 3, 5),
            period_to=D(2026, 3, 4),
            today=D(2026, 3, 10),
        )
    assert "period_to" in exc.value.message_dict


def test_introduktionsjobb_decision_later_than_14_days_before_start_warns(coach, participation, employer, supervisor):
    # Planned start 2026-03-20: the decision is due 2026-03-06 at the latest.
    case = create(
        coach,
        participation,
        employer,
        subsidy_type="introduktionsjobb",
        supervisor_contact_id=supervisor.pk,
        planned_start=D(2026, 3, 20),
    )
    step = case.steps.get(kind=StepKind.INTRO_DECISION)
    assert step.due_on == D(2026, 3, 6) and step.status == StepStatus.OPEN
    case, warnings = services.record_decision(
        coach,
        actor_for(coach),
        case.pk,
        version=case.version,
        decision_on=D(2026, 3, 7),
        period_from=D(2026, 3, 20),
        period_to=D(2026, 9, 19),
        today=D(2026, 3, 10),
    )
    assert len(warnings) == 1 and "14 dagar" in warnings[0] and "2026-03-06" in warnings[0]
    assert case.status == CaseStatus.GRANTED
    assert case.steps.get(kind=StepKind.INTRO_DECISION).status == StepStatus.DONE


def test_introduktionsjobb_decision_exactly_14_days_before_start_does_not_warn(coach, participation, employer, supervisor):
    case = create(
        coach,
        participation,
        employer,
        subsidy_type="introduktionsjobb",
        supervisor_contact_id=supervisor.pk,
        planned_start=D(2026, 3, 20),
    )
    _, warnings = services.record_decision(
        coach,
        actor_for(coach),
        case.pk,
        version=case.version,
        decision_on=D(2026, 3, 6),
        period_from=D(2026, 3, 20),
        period_to=D(2026, 9, 19),
        today=D(2026, 3, 10),
    )
    assert warnings == []


def test_intro_decision_deadline_moves_with_planned_start(coach, participation, employer, supervisor):
    case = create(
        coach,
        participation,
        employer,
        subsidy_type="introduktionsjobb",
        supervisor_contact_id=supervisor.pk,
        planned_start=D(2026, 3, 20),
    )
    services.update_case(
        coach,
        actor_for(coach),
        case.pk,
        version=case.version,
        data=services.CaseDetails(supervisor_contact_id=supervisor.pk, planned_start=D(2026, 4, 20)),
        today=D(2026, 3, 10),
    )
    assert case.steps.get(kind=StepKind.INTRO_DECISION).due_on == D(2026, 4, 6)


def test_decision_period_longer_than_rule_limit_is_refused(coach, participation, employer):
    """issue 8 item 11: what was a warning is now refused: 12 months per decision at most."""
    case = create(coach, participation, employer)
    with pytest.raises(DomainError) as refused:
        services.record_decision(
            coach,
            actor_for(coach),
            case.pk,
            version=case.version,
            decision_on=D(2026, 3, 4),
            period_from=D(2026, 3, 5),
            period_to=D(2027, 3, 5),
            today=D(2026, 3, 10),
        )
    assert "12 månader" in refused.value.message_dict["period_to"][0]
    # A stored period from before the rule still shows the warning on the case.
    assert any("12 månader" in w for w in rules.case_warnings(rules.CaseFacts(
        "nystartsjobb", D(2026, 3, 2), period_from=D(2026, 3, 5), period_to=D(2027, 3, 5)), 12))  # fmt: skip


def test_early_termination_creates_af_report_task(coach, participation, employer, today):
    case = f.SubsidyCaseFactory(participation=participation, employer=employer, granted=True)
    services.terminate_early(coach, actor_for(coach), case.pk, version=case.version, terminated_on=today, reason="Arbetsbrist")
    case.refresh_from_db()
    assert case.status == CaseStatus.TERMINATED_EARLY
    task = case.steps.get(kind=StepKind.AF_TERMINATION_REPORT)
    assert task.status == StepStatus.OPEN and task.due_on == today and task.responsible == "coach"
    # Shown on the coach's list ...
    assert list(selectors.coach_steps(coach, today)) == [task]
    # ... and done when marked reported.
    services.complete_step(
        coach,
        actor_for(coach),
        case.pk,
        version=case.version,
        kind=StepKind.AF_TERMINATION_REPORT,
        done_on=today,
        note="Ringt 0771-508 508",
    )
    task.refresh_from_db()
    assert task.status == StepStatus.DONE
    assert not selectors.coach_steps(coach, today).exists()
    assert TimelineEntry.objects.filter(kind="subsidy_step_completed", participation=participation).exists()


def test_af_report_task_overdue_the_day_after(coach, participation, employer, today):
    case = f.SubsidyCaseFactory(participation=participation, employer=employer, granted=True)
    services.terminate_early(coach, actor_for(coach), case.pk, version=case.version, terminated_on=today, reason="Flyttar")
    assert not selectors.overdue_steps_for_coach(coach, today).exists()
    assert selectors.overdue_steps_for_coach(coach, today + datetime.timedelta(days=1)).count() == 1


def test_early_termination_needs_reason_and_granted_case(coach, participation, employer, today):
    granted = f.SubsidyCaseFactory(participation=participation, employer=employer, granted=True)
    with pytest.raises(DomainError) as exc:
        services.terminate_early(coach, actor_for(coach), granted.pk, version=granted.version, terminated_on=today, reason=" ")
    assert "reason" in exc.value.message_dict
    notified = f.SubsidyCaseFactory(participation=participation, employer=employer)
    with pytest.raises(DomainError):
        services.terminate_early(coach, actor_for(coach), notified.pk, version=notified.version, terminated_on=today, reason="x")
    assert not SubsidyStep.objects.filter(kind=StepKind.AF_TERMINATION_REPORT).exists()


def test_protected_identity_routes_to_local_office(coach, employer):
    participation = f.ParticipationFactory(enrolled=True, coach=coach, person=f.PersonFactory(protected=True))
    case = create(coach, participation, employer)
    assert case.route == Route.LOCAL_OFFICE
    assert "lokalkontor" in TimelineEntry.objects.get(kind="subsidy_case_created").text


def test_unprotected_person_uses_digital_route(coach, participation, employer):
    assert create(coach, participation, employer).route == Route.DIGITAL


def test_withdraw_cancels_open_steps(coach, participation, employer, today):
    case = f.SubsidyCaseFactory(participation=participation, employer=employer, lonebidrag=True)
    services.close_without_grant(
        coach,
        actor_for(coach),
        case.pk,
        version=case.version,
        target=CaseStatus.WITHDRAWN,
        on=today,
        reason="Arbetsgivaren drog tillbaka erbjudandet",
    )
    assert not case.steps.filter(status__in=[StepStatus.OPEN, StepStatus.WAITING]).exists()


def test_stale_version_conflicts_and_saves_nothing(coach, participation, employer, today):
    case = f.SubsidyCaseFactory(participation=participation, employer=employer)
    with pytest.raises(ConflictError):
        services.record_decision(
            coach,
            actor_for(coach),
            case.pk,
            version=case.version + 5,
            decision_on=today,
            period_from=today,
            period_to=today + datetime.timedelta(days=100),
            today=today,
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED


def test_coach_of_other_unit_refused_and_logged(other_unit_coach, participation, employer):
    with pytest.raises(AccessDenied):
        create(other_unit_coach, participation, employer)
    assert AuditEntry.objects.filter(outcome="refused", person_id=participation.person_id).exists()
    assert not SubsidyCase.objects.exists()


def test_analyst_may_not_create(analyst, participation, employer):
    with pytest.raises(AccessDenied):
        create(analyst, participation, employer)


def test_social_worker_sees_person_but_may_not_create(participation, employer):
    worker = f.UserFactory(social_worker=True)
    with pytest.raises(PermissionDenied):
        create(worker, participation, employer)
    assert not SubsidyCase.objects.exists()


def test_closed_participation_refused(coach, employer):
    closed = f.ParticipationFactory(closed=True, coach=coach)
    with pytest.raises(DomainError) as exc:
        create(coach, closed, employer, notified_on=D(2026, 3, 2))
    assert "participation" in exc.value.message_dict
