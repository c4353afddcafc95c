"""The activity plan's rules (DOMAIN §4.4, issue 3 part 4), through the services that enforce them."""

import datetime as dt

import pytest

from jobbtorg.audit.models import AuditEntry, Outcome
from jobbtorg.core.errors import ConflictError, DomainError
from jobbtorg.deadlines import services as deadlines
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import Kind
from jobbtorg.plans import rules, selectors, services
from jobbtorg.plans.models import ActivityPlan, PlanDecision, PlannedActivity, Status
from jobbtorg.plans.tests.conftest import actor_for
from jobbtorg.testing import clock
from jobbtorg.testing import factories as f
from jobbtorg.timeline.models import TimelineEntry

pytestmark = pytest.mark.django_db

MON = dt.date(2026, 11, 16)  # a Monday without holidays around it


@pytest.fixture(autouse=True)
def in_the_week_of_mon():
    """The plans here are dated around MON: the tests happen on that day, whatever the test clock."""
    with clock.on(MON):
        yield


def activity(start=MON, end=MON + dt.timedelta(days=30), description="Arbetsträning i lager"):
    return {"description": description, "start_date": start, "end_date": end}


def make_plan(coach, participation, start=MON, review=dt.date(2027, 2, 15), goal="Arbete inom lager."):
    return services.create_plan(
        coach, actor_for(coach), participation.pk, {"goal": goal, "start_date": start, "review_date": review},
        [activity(start, start + dt.timedelta(days=30))], today=start,
    )


def submit(coach, plan, today=MON):
    plan.refresh_from_db()
    return services.submit_plan(coach, actor_for(coach), plan.pk, plan.version, today=today)


def approve(worker, plan, today=MON, comment=""):
    plan.refresh_from_db()
    return services.approve_plan(worker, actor_for(worker), plan.pk, plan.version, comment, today=today)


# --- 5 working days from arrival ------------------------------------------------------------


def test_plan_due_within_5_days(coach, participation):
    # Arrival on Monday 16 November: the plan is due 5 working days later, Monday 23 November.
    participation.arrived_on = MON
    participation.save(update_fields=["arrived_on"])
    deadlines.open_deadline(participation, Kind.PLAN_DRAWN_UP, start=MON)  # opened at enrolment
    deadline = Deadline.objects.get(participation=participation, kind=Kind.PLAN_DRAWN_UP)
    assert deadline.due_date == dt.date(2026, 11, 23)

    plan = make_plan(coach, participation)
    submit(coach, plan, today=dt.date(2026, 11, 20))

    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.DONE
    assert deadline.done_on == dt.date(2026, 11, 20)
    # The district's clock starts at submission: 5 working days.
    approval = Deadline.objects.get(participation=participation, kind=Kind.PLAN_APPROVAL, subject_id=plan.pk)
    assert approval.due_date == dt.date(2026, 11, 27)
    assert approval.status == Deadline.Status.OPEN


def test_plan_due_within_5_days_is_overdue_when_no_plan_is_submitted(coach):
    participation = f.ParticipationFactory(enrolled=True, coach=coach, referred_on=dt.date(2026, 11, 9), arrived_on=MON)
    deadline = deadlines.open_deadline(participation, Kind.PLAN_DRAWN_UP, start=MON)
    make_plan(coach, participation)  # a draft is not enough: the plan must be submitted

    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.OPEN
    assert deadlines.state(deadline, dt.date(2026, 11, 23)) == "due"
    assert deadlines.state(deadline, dt.date(2026, 11, 24)) == "overdue"


# --- six months, dates ------------------------------------------------------------------------


def test_plan_longer_than_6_months_needs_reason(coach, participation):
    start = dt.date(2026, 1, 15)
    # Exactly six months is allowed without a reason.
    assert rules.plan_errors(start=start, review=dt.date(2026, 7, 15), long_plan_reason="") == {}

    with pytest.raises(DomainError) as refused:
        make_plan(coach, participation, start=start, review=dt.date(2026, 7, 16))
    assert "long_plan_reason" in refused.value.message_dict
    assert "längre än sex månader" in refused.value.message_dict["long_plan_reason"][0]
    assert not ActivityPlan.objects.exists()  # nothing saved

    plan = services.create_plan(
        coach, actor_for(coach), participation.pk,
        {"goal": "Studier", "start_date": start, "review_date": dt.date(2026, 9, 30),
         "long_plan_reason": "Yrkesutbildningen pågår till och med september."},
        [activity(start, start + dt.timedelta(days=30))], today=start,
    )
    assert plan.review_date == dt.date(2026, 9, 30)

    # Removing the reason from a long plan is refused too, and the stored plan is unchanged.
    with pytest.raises(DomainError):
        services.update_plan(coach, actor_for(coach), plan.pk, plan.version, {"long_plan_reason": "  "})
    plan.refresh_from_db()
    assert plan.long_plan_reason.startswith("Yrkesutbildningen")


def test_plan_end_before_start_refused(coach, participation):
    plan = make_plan(coach, participation)
    version = plan.version
    with pytest.raises(DomainError) as refused:
        services.add_planned_activity(
            coach, actor_for(coach), plan.pk, version, activity(start=dt.date(2026, 12, 10), end=dt.date(2026, 12, 1))
        )
    assert refused.value.message_dict == {"end_date": ["Ange ett slutdatum som är efter startdatum."]}
    assert PlannedActivity.objects.filter(plan=plan).count() == 1
    plan.refresh_from_db()
    assert plan.version == version  # nothing saved, not even a version bump

    with pytest.raises(DomainError) as refused:
        services.update_plan(coach, actor_for(coach), plan.pk, version, {"review_date": MON - dt.timedelta(days=1)})
    assert refused.value.message_dict["review_date"] == ["Ange ett omprövningsdatum som är efter startdatum."]

    # A one-day activity (start = end) is fine.
    services.add_planned_activity(coach, actor_for(coach), plan.pk, version, activity(start=MON, end=MON))


# --- district approval ------------------------------------------------------------------------


def test_only_home_district_may_approve_plan(coach, participation, social_worker, other_social_worker):
    plan = submit(coach, make_plan(coach, participation))

    for outsider in (other_social_worker, coach, f.UserFactory(osa_officer=True)):
        with pytest.raises(services.NotPermitted) as refused:
            services.approve_plan(outsider, actor_for(outsider), plan.pk, plan.version, today=MON)
        assert str(refused.value.messages[0]) == "Planen kan bara godkännas eller skickas tillbaka av deltagarens hemstadsdel."
        refusal = AuditEntry.objects.filter(user_id=outsider.pk, outcome=Outcome.REFUSED).get()
        assert refusal.person_id == participation.person_id and "godkännande" in refusal.what
        with pytest.raises(services.NotPermitted):
            services.return_plan(outsider, actor_for(outsider), plan.pk, plan.version, "Nej", today=MON)

    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED  # nothing saved
    assert not PlanDecision.objects.filter(kind="approved").exists()

    approved = approve(social_worker, plan)
    assert approved.status == Status.APPROVED and approved.decided_by == social_worker
    assert AuditEntry.objects.filter(user_id=social_worker.pk, outcome=Outcome.ALLOWED, what__contains="godkännande").exists()


def test_protected_person_plan_only_approved_by_named_district_staff(coach, social_worker):
    person = f.PersonFactory(protected=True)
    participation = f.ParticipationFactory(
        enrolled=True, coach=coach, person=person, referred_on=dt.date(2026, 1, 5), arrived_on=dt.date(2026, 1, 7)
    )
    plan = submit(coach, make_plan(coach, participation))
    # The district's social worker has no relation to a protected person unless named on them.
    from jobbtorg.core.errors import AccessDenied

    with pytest.raises(AccessDenied):
        approve(social_worker, plan)
    assert selectors.approval_queue(social_worker.district, viewer=social_worker) == []
    person.contact_grants.add(social_worker)
    assert approve(social_worker, plan).status == Status.APPROVED


def test_approved_plan_is_frozen(coach, participation, social_worker):
    plan = approve(social_worker, submit(coach, make_plan(coach, participation)))
    plan = ActivityPlan.objects.get(pk=plan.pk)
    # Service guard.
    with pytest.raises(DomainError, match="godkänd och kan inte ändras"):
        services.update_plan(coach, actor_for(coach), plan.pk, plan.version, {"goal": "Annat mål"})
    with pytest.raises(DomainError, match="godkänd och kan inte ändras"):
        services.add_planned_activity(coach, actor_for(coach), plan.pk, plan.version, activity())
    row = plan.activities.first()
    with pytest.raises(DomainError, match="godkänd och kan inte ändras"):
        services.remove_planned_activity(coach, actor_for(coach), plan.pk, plan.version, row.pk)
    # Model guards: save, delete, rows, and bulk updates.
    plan.goal = "Ändrat i smyg"
    with pytest.raises(DomainError):
        plan.save()
    with pytest.raises(DomainError):
        plan.delete()
    with pytest.raises(DomainError):
        ActivityPlan.objects.filter(pk=plan.pk).update(goal="Ändrat i smyg")
    with pytest.raises(DomainError):
        PlannedActivity.objects.create(plan=plan, description="Ny", start_date=MON, end_date=MON)
    row.description = "Ändrad"
    with pytest.raises(DomainError):
        row.save()
    with pytest.raises(DomainError):
        PlannedActivity.objects.filter(plan=plan).update(description="Ändrad")
    with pytest.raises(DomainError):
        PlannedActivity.objects.filter(plan=plan).delete()
    fresh = ActivityPlan.objects.get(pk=plan.pk)
    assert fresh.goal == "Arbete inom lager." and fresh.activities.get().description == "Arbetsträning i lager"


def test_change_after_approval_creates_new_version_needing_approval(coach, participation, social_worker):
    v1 = approve(social_worker, submit(coach, make_plan(coach, participation)))
    assert deadlines.state(Deadline.objects.get(kind=Kind.PLAN_REVIEW, subject_id=v1.pk), MON) == "upcoming"

    v2 = services.revise_plan(coach, actor_for(coach), v1.pk, today=MON)
    assert (v2.number, v2.status, v2.previous_id) == (2, Status.DRAFT, v1.pk)
    assert [a.description for a in v2.activities.all()] == ["Arbetsträning i lager"]  # a copy
    # A second new version while one is in the works is refused.
    with pytest.raises(DomainError, match="redan en ny version"):
        services.revise_plan(coach, actor_for(coach), v1.pk, today=MON)

    services.update_plan(coach, actor_for(coach), v2.pk, v2.version, {"goal": "Arbete som truckförare."})
    # Until the new version is approved, the approved one stays the valid plan.
    assert selectors.current_plan(participation).pk == v1.pk
    submit(coach, v2, today=dt.date(2026, 12, 1))
    assert selectors.current_plan(participation).pk == v1.pk
    assert selectors.overview(participation, dt.date(2026, 12, 2)).pending.pk == v2.pk

    approve(social_worker, v2, today=dt.date(2026, 12, 3))
    v1.refresh_from_db()
    assert v1.status == Status.SUPERSEDED and v1.goal == "Arbete inom lager."  # untouched otherwise
    current = selectors.current_plan(participation)
    assert current.pk == v2.pk and current.goal == "Arbete som truckförare."
    # The old review clock is closed, the new plan's runs to its own review date.
    assert Deadline.objects.get(kind=Kind.PLAN_REVIEW, subject_id=v1.pk).status == Deadline.Status.DONE
    assert Deadline.objects.get(kind=Kind.PLAN_REVIEW, subject_id=v2.pk).due_date == v2.review_date
    kinds = list(TimelineEntry.objects.filter(participation=participation).order_by("id").values_list("kind", flat=True))
    assert kinds == ["plan_created", "plan_submitted", "plan_approved", "plan_revision_started", "plan_submitted",
                     "plan_approved"]


def test_returned_plan_needs_comment(coach, participation, social_worker):
    plan = submit(coach, make_plan(coach, participation))
    for empty in ("", "   "):
        with pytest.raises(DomainError) as refused:
            services.return_plan(social_worker, actor_for(social_worker), plan.pk, plan.version, empty, today=MON)
        assert refused.value.message_dict["comment"] == [services.COMMENT_REQUIRED]
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED

    returned = services.return_plan(social_worker, actor_for(social_worker), plan.pk, plan.version,
                                    "Lägg till SFI parallellt med arbetsträningen.", today=dt.date(2026, 11, 18))
    assert returned.status == Status.RETURNED
    # The coach sees the comment.
    view = selectors.overview(participation, dt.date(2026, 11, 18))
    assert view.returned and view.pending.decision_comment == "Lägg till SFI parallellt med arbetsträningen."
    assert list(selectors.returned_plans_for_coach(coach)) == [returned]
    assert Deadline.objects.get(kind=Kind.PLAN_APPROVAL, subject_id=plan.pk).status == Deadline.Status.DONE

    # Returned → submitted needs an edit first.
    with pytest.raises(DomainError, match="Ändra den efter kommentaren"):
        submit(coach, plan)
    returned.refresh_from_db()
    services.add_planned_activity(coach, actor_for(coach), plan.pk, returned.version,
                                  activity(description="SFI kurs C", start=dt.date(2026, 11, 23)))
    assert submit(coach, plan, today=dt.date(2026, 11, 19)).status == Status.SUBMITTED
    assert PlanDecision.objects.filter(plan=plan).count() == 3  # submitted, returned, submitted


def test_approval_waiting_time_in_working_days(coach, participation, social_worker):
    friday = dt.date(2026, 12, 18)
    plan = submit(coach, make_plan(coach, participation, start=friday, review=dt.date(2027, 3, 1)), today=friday)
    # Mon 21, Tue 22, Wed 23 work; 24–27 Christmas; Mon 28 → 4 working days.
    today = dt.date(2026, 12, 28)
    assert rules.waiting_days(friday, today) == 4
    [row] = selectors.approval_queue(social_worker.district, viewer=social_worker, today=today)
    assert row.plan.pk == plan.pk and row.waiting_days == 4
    assert row.due == dt.date(2026, 12, 29) and not row.overdue  # 21, 22, 23, 28, 29
    assert selectors.overview(participation, today).waiting_days == 4  # the coach's side shows the same
    approve(social_worker, plan, today=today)
    assert PlanDecision.objects.get(plan=plan, kind="approved").waiting_days == 4


def test_approval_queue_is_oldest_first_and_only_own_district(coach, social_worker):
    plans = []
    for days_ago in (1, 5, 3):
        participation = f.ParticipationFactory(enrolled=True, coach=coach)
        plans.append(f.ActivityPlanFactory(participation=participation, submitted=True,
                                           submitted_at=dt.datetime(2026, 11, 20 - days_ago, 9, tzinfo=dt.UTC),
                                           submitted_on=dt.date(2026, 11, 20 - days_ago)))
    f.ActivityPlanFactory(submitted=True, participation=f.ParticipationFactory(
        enrolled=True, person=f.PersonFactory(home_district=f.district("bromma"))))
    queue = selectors.approval_queue(social_worker.district, viewer=social_worker, today=dt.date(2026, 11, 20))
    assert [r.plan.pk for r in queue] == [plans[1].pk, plans[2].pk, plans[0].pk]
    assert [r.waiting_days for r in queue] == [5, 3, 1]


def test_concurrent_plan_edit_conflict(coach, colleague, participation):
    plan = make_plan(coach, participation)
    read_by_both = plan.version
    services.update_plan(coach, actor_for(coach), plan.pk, read_by_both, {"goal": "Coachens mål"})
    with pytest.raises(ConflictError) as conflict:
        services.update_plan(colleague, actor_for(colleague), plan.pk, read_by_both, {"goal": "Kollegans mål"})
    assert "Någon annan har ändrat planen" in conflict.value.messages[0]
    with pytest.raises(ConflictError):
        services.add_planned_activity(colleague, actor_for(colleague), plan.pk, read_by_both, activity())
    plan.refresh_from_db()
    assert plan.goal == "Coachens mål" and plan.activities.count() == 1


def test_state_machine_is_data():
    assert rules.next_status(Status.DRAFT, rules.Step.SUBMIT) == Status.SUBMITTED
    assert rules.next_status(Status.RETURNED, rules.Step.SUBMIT) == Status.SUBMITTED
    assert rules.allowed_steps(Status.SUBMITTED) == {rules.Step.APPROVE, rules.Step.RETURN, rules.Step.REJECT}
    for status, step in [(Status.DRAFT, rules.Step.APPROVE), (Status.APPROVED, rules.Step.SUBMIT),
                         (Status.SUPERSEDED, rules.Step.REVISE), (Status.SUBMITTED, rules.Step.SUBMIT)]:
        with pytest.raises(DomainError):
            rules.next_status(status, step)


def test_submit_needs_goal_and_activities(coach, participation):
    plan = services.create_plan(coach, actor_for(coach), participation.pk, {"goal": ""}, today=MON)
    with pytest.raises(DomainError) as refused:
        services.submit_plan(coach, actor_for(coach), plan.pk, plan.version, today=MON)
    assert set(refused.value.message_dict) == {"goal", "activities"}
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT


def test_closed_participation_plan_can_not_change(coach, participation):
    plan = make_plan(coach, participation)
    participation.status = "closed"
    participation.closed_on = MON
    participation.closure_reason = "moved"
    participation.save()
    with pytest.raises(DomainError, match="avslutat"):
        services.update_plan(coach, actor_for(coach), plan.pk, plan.version, {"goal": "x"})


def test_plan_factories_build_each_state():
    assert f.ActivityPlanFactory().status == Status.DRAFT
    approved = f.ActivityPlanFactory(approved=True, activity_count=2)
    assert approved.status == Status.APPROVED and approved.is_frozen and approved.activities.count() == 2
    assert f.ActivityPlanFactory(submitted=True).submitted_on
    assert f.ActivityPlanFactory(returned=True).decision_comment


def test_plan_decisions_are_append_only_and_say_so_in_their_own_name(coach, participation):
    """LEGAL.md (documentation is never rewritten): a decision on a plan is kept as written; the error
    names the plan decision, not the timeline (AppendOnlyModel lives in core, issue 9 item 5)."""
    plan = submit(coach, make_plan(coach, participation, start=dt.date(2026, 11, 23), review=dt.date(2027, 3, 1)))
    decision = PlanDecision.objects.get(plan=plan)
    with pytest.raises(PermissionError, match="PlanDecision rows are append-only"):
        decision.save()
    with pytest.raises(PermissionError, match="PlanDecision rows are append-only"):
        PlanDecision.objects.filter(pk=decision.pk).update(on=dt.date(2026, 1, 1))
    with pytest.raises(PermissionError, match="PlanDecision rows are append-only"):
        decision.delete()
