"""The demo population satisfies the domain's invariants (issue 9 item 7).

One population of 300 participants is seeded for the module (rolled back afterwards),
then jobbtorg.demo.invariants runs over it: every rule must hold. Further tests break
one rule at a time and check that its invariant reports it, so a check that can never
fail would show here, and that the seed makes every stage of the path, not only some.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import Kind
from jobbtorg.demo import invariants
from jobbtorg.participations.models import Participation, PostClosureFollowUp, Status
from jobbtorg.plans.models import ActivityPlan
from jobbtorg.plans.models import Status as PlanStatus
from jobbtorg.referrals.models import Referral
from jobbtorg.timeline.models import TimelineEntry

N = 300
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=FAST_HASHER):
            call_command("seed_demo", "--participants", str(N), "--seed", "5", "--no-progress", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def violated(rule_fn) -> list[int]:
    return rule_fn(timezone.localdate())


@pytest.mark.django_db
def test_the_seeded_population_breaks_no_invariant(seeded):
    assert [str(v) for v in invariants.run(timezone.localdate())] == []


@pytest.mark.django_db
def test_check_invariants_command_reports_all_hold(seeded):
    out = io.StringIO()
    call_command("check_invariants", stdout=out)
    assert f"Alla {len(invariants.CHECKS)} invarianter håller." in out.getvalue()


@pytest.mark.django_db
def test_the_path_has_every_stage(seeded):
    """Referred, enrolled, interrupted and closed participations; plans in every status;
    each kind of deadline the path opens, done and open; the timeline's steps."""
    statuses = set(Participation.objects.values_list("status", flat=True))
    assert statuses == {s.value for s in Status}
    plan_statuses = set(ActivityPlan.objects.values_list("status", flat=True))
    assert plan_statuses == {s.value for s in PlanStatus}
    kinds = set(Deadline.objects.values_list("kind", "status"))
    for kind in (Kind.FIRST_APPOINTMENT, Kind.PLAN_DRAWN_UP, Kind.PLAN_APPROVAL, Kind.PLAN_REVIEW,
                 Kind.ACTIVITY_FOLLOWUP, Kind.FOLLOWUP_2_MONTHS, Kind.FOLLOWUP_8_MONTHS):
        assert (kind.value, Deadline.Status.OPEN) in kinds, kind
        assert (kind.value, Deadline.Status.DONE) in kinds, kind
    assert (Kind.PARTICIPATION_LIMIT.value, Deadline.Status.OPEN) in kinds
    assert (Kind.JOB_GUARANTEE_OFFER.value, Deadline.Status.DONE) in kinds
    assert Deadline.objects.filter(paused_on__isnull=False).exists()  # clocks of interrupted participations
    entry_kinds = set(TimelineEntry.objects.values_list("kind", flat=True))
    assert {"referral_received", "appointment_booked", "participant_arrived", "information_signed_off",
            "plan_created", "plan_submitted", "plan_approved", "plan_returned", "plan_rejected", "plan_revision_started",
            "activity_created", "activity_followed_up", "participation_interrupted", "participation_closed",
            "followup_recorded"} <= entry_kinds


@pytest.mark.django_db
def test_the_city_spans_two_years(seeded):
    """Closures with outcomes over two years (issue 9 item 7): the oldest closure is more than a year back."""
    today = timezone.localdate()
    closed = list(Participation.objects.filter(status=Status.CLOSED).values_list("closed_on", flat=True))
    assert min(closed) < today - datetime.timedelta(days=366)  # more than a year back, also from a 29 February
    assert PostClosureFollowUp.objects.filter(recorded_on__isnull=False).exists()


# --- each invariant catches what it guards ----------------------------------------------------------


@pytest.mark.django_db
def test_a_participation_without_referral_is_reported(seeded):
    referral = Referral.objects.order_by("pk").first()
    pid = referral.participation_id
    Referral.target_groups.through.objects.filter(referral=referral).delete()
    Referral.objects.filter(pk=referral.pk).delete()
    assert pid in violated(invariants.participation_has_referral)


@pytest.mark.django_db
def test_a_wrong_limit_date_is_reported(seeded):
    """DOMAIN §4.4: the 18-month clock is due where deadlines.rules puts it."""
    deadline = Deadline.objects.filter(kind=Kind.PARTICIPATION_LIMIT, status=Deadline.Status.OPEN,
                                       participation__status=Status.ACTIVE).first()
    Deadline.objects.filter(pk=deadline.pk).update(due_date=deadline.due_date.replace(day=1) - timezone.timedelta(days=40))
    assert deadline.participation_id in violated(invariants.limit_deadlines_as_rules_say)


@pytest.mark.django_db
def test_a_closure_with_running_clocks_is_reported(seeded):
    """DOMAIN §7: closure stops every clock but the follow-ups."""
    closed = Participation.objects.filter(status=Status.CLOSED).order_by("pk").first()
    Deadline.objects.create(participation=closed, kind=Kind.PLAN_DRAWN_UP, due_date=closed.closed_on, responsible="coach")
    assert closed.pk in violated(invariants.closure_clocks)


@pytest.mark.django_db
def test_a_plan_approved_without_being_submitted_is_reported(seeded):
    """DOMAIN §4.4 (plans.rules.TRANSITIONS): draft → approved is no transition."""
    other = ActivityPlan.objects.filter(status=PlanStatus.DRAFT).first()
    ActivityPlan.objects.filter(pk=other.pk).update(status=PlanStatus.APPROVED)
    assert other.pk in violated(invariants.plan_history_follows_transitions)


@pytest.mark.django_db
def test_a_missing_timeline_entry_is_reported(seeded):
    """14 kap. 3 § SoL: each step documented; an arrival recorded without its entry is found."""
    referred = Participation.objects.filter(status=Status.REFERRED).order_by("pk").first()
    Participation.objects.filter(pk=referred.pk).update(status=Status.ACTIVE, arrived_on=referred.referred_on)
    assert referred.pk in violated(invariants.steps_have_timeline_entries)


@pytest.mark.django_db
def test_a_date_after_today_is_reported(seeded):
    active = Participation.objects.filter(status=Status.ACTIVE).order_by("pk").first()
    Participation.objects.filter(pk=active.pk).update(arrived_on=timezone.localdate() + timezone.timedelta(days=3))
    assert active.pk in violated(invariants.dates_in_order)


@pytest.mark.django_db
def test_check_invariants_command_fails_on_a_violation(seeded):
    closed = Participation.objects.filter(status=Status.CLOSED).order_by("pk").first()
    PostClosureFollowUp.objects.filter(participation=closed).delete()
    with pytest.raises(CommandError):
        call_command("check_invariants", stdout=io.StringIO())
