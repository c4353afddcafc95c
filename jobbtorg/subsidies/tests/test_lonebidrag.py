"""The lönebidrag process (issue 4 part 3, seed 000 §2): seven steps, each with its own deadline.

Dates are fixed so the day counts can be checked by hand; 2026-04-01 is a Wednesday.
"""

import datetime

import pytest

from jobbtorg.core.errors import DomainError
from jobbtorg.eligibility import rules as eligibility_rules
from jobbtorg.eligibility import services as eligibility_services
from jobbtorg.subsidies import services
from jobbtorg.subsidies import steps as step_rules
from jobbtorg.subsidies.models import CaseStatus, Route, StepStatus
from jobbtorg.subsidies.steps import StepKind
from jobbtorg.testing import factories as f

from .conftest import actor_for

pytestmark = pytest.mark.django_db

D = datetime.date
NOTIFIED = D(2026, 4, 1)
TODAY = D(2027, 12, 31)


@pytest.fixture
def case(coach, participation, employer):
    return services.create_case(
        coach, actor_for(coach), services.NewCase(
            participation_id=participation.pk, subsidy_type="lonebidrag", employer_id=employer.pk, notified_on=NOTIFIED,
        ), today=NOTIFIED,
    )  # fmt: skip


def step(case, kind):
    return case.steps.get(kind=kind)


def done(coach, case, kind, on, **kwargs):
    case.refresh_from_db()
    return services.complete_step(
        coach, actor_for(coach), case.pk, version=case.version, kind=kind, done_on=on, today=kwargs.pop("today", TODAY), **kwargs
    )


def run_to(coach, case, last: StepKind):
    """Complete steps in order with plausible dates until `last` (included)."""
    plan = [
        (StepKind.LB_2_CALLBACK, D(2026, 4, 3), {}),
        (StepKind.LB_2_ORDER, D(2026, 4, 6), {}),
        (StepKind.LB_3_ELIGIBILITY, D(2026, 4, 20), {"outcome": "eligible", "data": {"meeting_on": "2026-04-24"}}),
        (StepKind.LB_4_WORKPLACE_VISIT, D(2026, 4, 24), {}),
        (StepKind.LB_5_UNION, D(2026, 4, 30), {}),
        (
            StepKind.LB_6_DECISION,
            D(2026, 5, 5),
            {"outcome": "granted", "data": {"period_from": "2026-05-11", "period_to": "2027-05-10"}},
        ),
    ]
    for kind, on, extra in plan:
        done(coach, case, kind, on, **extra)
        if kind == last:
            return


def test_lonebidrag_case_starts_with_seven_steps(case):
    numbers = {step_rules.STEP_RULES[StepKind(s.kind)].number for s in case.steps.all()}
    assert numbers == {1, 2, 3, 4, 5, 6, 7}
    assert step(case, StepKind.LB_1_NOTIFICATION).status == StepStatus.DONE
    assert step(case, StepKind.LB_2_CALLBACK).status == StepStatus.OPEN
    assert step(case, StepKind.LB_3_ELIGIBILITY).status == StepStatus.WAITING


def test_lonebidrag_pdm_callback_within_3_days(case):
    assert step(case, StepKind.LB_2_CALLBACK).due_on == D(2026, 4, 4)


def test_lonebidrag_steps_1_2_within_5_days(case):
    assert step(case, StepKind.LB_2_ORDER).due_on == D(2026, 4, 6)


def test_lonebidrag_eligibility_check_within_4_weeks(coach, case):
    run_to(coach, case, StepKind.LB_2_ORDER)
    eligibility = step(case, StepKind.LB_3_ELIGIBILITY)
    assert eligibility.status == StepStatus.OPEN and eligibility.due_on == D(2026, 5, 4)  # 2026-04-06 + 28 days


def test_lonebidrag_workplace_visit_within_14_days(coach, case):
    run_to(coach, case, StepKind.LB_3_ELIGIBILITY)
    assert step(case, StepKind.LB_4_WORKPLACE_VISIT).due_on == D(2026, 5, 4)  # 2026-04-20 + 14


def test_lonebidrag_union_consultation_is_5_working_days(coach, case):
    # Workplace visit on Thursday 2026-04-30; Friday 1 May is a holiday:
    # Mon 4, Tue 5, Wed 6, Thu 7, Fri 8 May → due 2026-05-08 (calendar days would give 2026-05-05).
    run_to(coach, case, StepKind.LB_3_ELIGIBILITY)
    done(coach, case, StepKind.LB_4_WORKPLACE_VISIT, D(2026, 4, 30))
    assert step(case, StepKind.LB_5_UNION).due_on == D(2026, 5, 8)


def test_lonebidrag_union_consultation_skips_weekend(coach, case):
    run_to(coach, case, StepKind.LB_3_ELIGIBILITY)
    done(coach, case, StepKind.LB_4_WORKPLACE_VISIT, D(2026, 4, 24))  # a Friday
    assert step(case, StepKind.LB_5_UNION).due_on == D(2026, 5, 4)  # Mon 27 .. Thu 30, Fri 1 May holiday → Mon 4 May


def test_lonebidrag_decision_has_no_deadline(coach, case):
    run_to(coach, case, StepKind.LB_5_UNION)
    decision = step(case, StepKind.LB_6_DECISION)
    assert decision.status == StepStatus.OPEN and decision.due_on is None


def test_lonebidrag_followups_after_decision(coach, case):
    run_to(coach, case, StepKind.LB_6_DECISION)
    case.refresh_from_db()
    assert case.status == CaseStatus.GRANTED and case.period_to == D(2027, 5, 10)
    assert step(case, StepKind.LB_7_AF_FOLLOWUP).due_on == D(2026, 8, 11)  # period start + 3 months
    assert step(case, StepKind.LB_7_EXTENSION).due_on == D(2027, 3, 10)  # 2 months before the end
    assert step(case, StepKind.LB_7_COACH_FOLLOWUP).due_on == D(2027, 8, 10)  # 3 months after the end


def test_lonebidrag_coach_followup_runs_until_3_months_after_end(coach, case):
    run_to(coach, case, StepKind.LB_6_DECISION)
    with pytest.raises(DomainError) as exc:
        done(coach, case, StepKind.LB_7_COACH_FOLLOWUP, D(2027, 5, 10))
    assert "2027-08-10" in exc.value.message_dict["done_on"][0]
    assert step(case, StepKind.LB_7_COACH_FOLLOWUP).status == StepStatus.OPEN
    done(coach, case, StepKind.LB_7_COACH_FOLLOWUP, D(2027, 8, 10))
    assert step(case, StepKind.LB_7_COACH_FOLLOWUP).status == StepStatus.DONE


def test_lonebidrag_step_before_previous_refused(coach, case):
    case.refresh_from_db()
    version = case.version
    with pytest.raises(DomainError) as exc:
        done(coach, case, StepKind.LB_3_ELIGIBILITY, D(2026, 4, 5), outcome="eligible", data={"meeting_on": "2026-04-10"})
    message = exc.value.message_dict["non_field_errors"][0]
    assert "måste vara klart" in message and "steg 3" in message
    assert step(case, StepKind.LB_3_ELIGIBILITY).status == StepStatus.WAITING
    case.refresh_from_db()
    assert case.version == version  # nothing saved


def test_lonebidrag_step_dated_before_previous_refused(coach, case):
    run_to(coach, case, StepKind.LB_2_CALLBACK)  # done 2026-04-03
    with pytest.raises(DomainError) as exc:
        done(coach, case, StepKind.LB_2_ORDER, D(2026, 4, 2))
    assert "2026-04-03" in exc.value.message_dict["done_on"][0]
    assert step(case, StepKind.LB_2_ORDER).status == StepStatus.OPEN  # opened by the callback, not done


def test_lonebidrag_step_in_future_refused(coach, case):
    with pytest.raises(DomainError) as exc:
        done(coach, case, StepKind.LB_2_CALLBACK, D(2026, 4, 3), today=D(2026, 4, 2))
    assert "framtiden" in exc.value.message_dict["done_on"][0]


def test_lonebidrag_not_eligible_records_notified_parties(coach, case):
    run_to(coach, case, StepKind.LB_2_ORDER)
    with pytest.raises(DomainError) as exc:
        done(coach, case, StepKind.LB_3_ELIGIBILITY, D(2026, 4, 20), outcome="not_eligible", data={"notified": ["coach"]})
    assert "notified" in exc.value.message_dict
    assert step(case, StepKind.LB_3_ELIGIBILITY).status == StepStatus.OPEN
    done(
        coach,
        case,
        StepKind.LB_3_ELIGIBILITY,
        D(2026, 4, 20),
        outcome="not_eligible",
        data={"notified": ["employer", "job_seeker", "coach"]},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.REFUSED
    assert step(case, StepKind.LB_3_ELIGIBILITY).data["notified"] == ["coach", "employer", "job_seeker"]
    assert not case.steps.filter(status__in=[StepStatus.OPEN, StepStatus.WAITING]).exists()


def test_lonebidrag_outdated_documentation_requests_completion(coach, case):
    run_to(coach, case, StepKind.LB_2_ORDER)  # step 3 due 2026-05-04
    done(
        coach,
        case,
        StepKind.LB_3_ELIGIBILITY,
        D(2026, 4, 10),
        outcome="documentation_outdated",
        data={"completion_due": "2026-04-24"},
    )
    completion = step(case, StepKind.LB_3_COMPLETION)
    assert completion.status == StepStatus.OPEN and completion.due_on == D(2026, 4, 24)
    eligibility = step(case, StepKind.LB_3_ELIGIBILITY)
    assert eligibility.status == StepStatus.OPEN and eligibility.paused_on == D(2026, 4, 10)
    # Step 3 can not be closed while the completion is pending.
    with pytest.raises(DomainError):
        done(coach, case, StepKind.LB_3_ELIGIBILITY, D(2026, 4, 12), outcome="eligible", data={"meeting_on": "2026-04-20"})
    # Completion received after 5 days: the step-3 clock moves by 5 days.
    done(coach, case, StepKind.LB_3_COMPLETION, D(2026, 4, 15))
    eligibility = step(case, StepKind.LB_3_ELIGIBILITY)
    assert eligibility.paused_on is None and eligibility.due_on == D(2026, 5, 9)


def test_lonebidrag_completion_defaults_to_14_days(coach, case):
    run_to(coach, case, StepKind.LB_2_ORDER)
    done(coach, case, StepKind.LB_3_ELIGIBILITY, D(2026, 4, 10), outcome="documentation_outdated")
    assert step(case, StepKind.LB_3_COMPLETION).due_on == D(2026, 4, 24)


def test_lonebidrag_eligible_needs_meeting_date(coach, case):
    run_to(coach, case, StepKind.LB_2_ORDER)
    with pytest.raises(DomainError) as exc:
        done(coach, case, StepKind.LB_3_ELIGIBILITY, D(2026, 4, 20), outcome="eligible")
    assert "meeting_on" in exc.value.message_dict
    with pytest.raises(DomainError) as exc:
        done(coach, case, StepKind.LB_3_ELIGIBILITY, D(2026, 4, 20), outcome="")
    assert "outcome" in exc.value.message_dict
    assert step(case, StepKind.LB_3_ELIGIBILITY).status == StepStatus.OPEN


def test_lonebidrag_decision_before_notification_refused(coach, case):
    run_to(coach, case, StepKind.LB_5_UNION)
    with pytest.raises(DomainError) as exc:
        done(
            coach,
            case,
            StepKind.LB_6_DECISION,
            D(2026, 5, 5),
            outcome="granted",
            data={"period_from": "2026-05-11", "period_to": "2026-05-10"},
        )
    assert "period_to" in exc.value.message_dict
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED and case.decision_on is None


def test_lonebidrag_refused_decision_closes_case(coach, case):
    run_to(coach, case, StepKind.LB_5_UNION)
    done(coach, case, StepKind.LB_6_DECISION, D(2026, 5, 5), outcome="refused")
    case.refresh_from_db()
    assert case.status == CaseStatus.REFUSED
    assert step(case, StepKind.LB_7_COACH_FOLLOWUP).status == StepStatus.CANCELLED


def test_lonebidrag_decision_not_through_generic_decision(coach, case):
    with pytest.raises(DomainError):
        services.record_decision(
            coach,
            actor_for(coach),
            case.pk,
            version=case.version,
            decision_on=NOTIFIED,
            period_from=NOTIFIED,
            period_to=D(2026, 12, 31),
            today=TODAY,
        )


def test_lonebidrag_early_termination_moves_coach_followup(coach, case):
    run_to(coach, case, StepKind.LB_6_DECISION)
    case.refresh_from_db()
    services.terminate_early(
        coach,
        actor_for(coach),
        case.pk,
        version=case.version,
        terminated_on=D(2026, 6, 30),
        reason="Anställningen upphörde",
        today=D(2026, 7, 1),
    )
    assert step(case, StepKind.LB_7_COACH_FOLLOWUP).due_on == D(2026, 9, 30)
    assert step(case, StepKind.LB_7_AF_FOLLOWUP).status == StepStatus.CANCELLED
    assert step(case, StepKind.LB_7_EXTENSION).status == StepStatus.CANCELLED
    assert step(case, StepKind.AF_TERMINATION_REPORT).status == StepStatus.OPEN


def test_lonebidrag_local_office_labels_for_protected_identity(coach, employer):
    participation = f.ParticipationFactory(enrolled=True, coach=coach, person=f.PersonFactory(protected=True))
    case = services.create_case(
        coach,
        actor_for(coach),
        services.NewCase(
            participation_id=participation.pk, subsidy_type="lonebidrag", employer_id=employer.pk, notified_on=NOTIFIED
        ),
        today=NOTIFIED,
    )
    assert case.route == Route.LOCAL_OFFICE
    assert "lokalkontor" in step(case, StepKind.LB_1_NOTIFICATION).label
    assert "PDM" not in step(case, StepKind.LB_2_CALLBACK).label


def test_every_step_rule_has_a_source():
    for rule in step_rules.STEP_RULES.values():
        assert rule.source and rule.label


def test_documentation_status_interpretation():
    assert eligibility_services.interpret_documentation(None) is None
    assert eligibility_services.interpret_documentation([]) == "missing"
    assert eligibility_services.interpret_documentation([{"code": "43", "status": "expired"}]) == "expired"
    assert eligibility_services.interpret_documentation({"43": "expired", "91": "valid"}) == "valid"


def _hook(statuses, allowed=True):
    return lambda: (lambda person, on: statuses, lambda user, person: allowed)


def test_disability_hook_expired_documentation_shown_on_case(client, monkeypatch, coach, participation):
    from types import SimpleNamespace

    from .conftest import login

    monkeypatch.setattr(
        eligibility_services, "documentation_hook", _hook([SimpleNamespace(code="43", valid=False, status="expired")])
    )
    case = f.SubsidyCaseFactory(participation=participation, lonebidrag=True)
    login(client, coach)
    assert "Underlaget om funktionsnedsättning är inaktuellt" in client.get(f"/stod/{case.pk}/").content.decode()


def test_disability_hook_feeds_lonebidrag_eligibility(monkeypatch, coach, participation):
    from types import SimpleNamespace

    monkeypatch.setattr(
        eligibility_services, "documentation_hook", _hook([SimpleNamespace(code="91", valid=True, status="valid")])
    )
    participation.af_registered = True
    participation.save()
    result = eligibility_services.evaluate_for(coach, actor_for(coach), participation.person_id, "lonebidrag", D(2026, 3, 10))
    assert result.outcome == eligibility_rules.Outcome.ELIGIBLE


def test_disability_hook_hidden_without_health_relation(monkeypatch, coach, participation):
    monkeypatch.setattr(eligibility_services, "documentation_hook", _hook([], allowed=False))
    assert (
        eligibility_services.disability_documentation(participation.person, D(2026, 3, 10), coach) == eligibility_services.HIDDEN
    )
