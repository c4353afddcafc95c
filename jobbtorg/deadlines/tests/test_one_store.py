"""One deadline store (issue 9 item 2, ADR 0016): subsidy steps and OSA follow-ups are stored
in `deadlines`, so the notification badge and the daily digest reach them like every other
deadline, with one vocabulary of states.

Before this, the badge and the digest read only the participation clocks: a coach's overdue
lönebidrag step and an OSA officer's overdue follow-up meeting never reached them.
"""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobbtorg.audit.services import Actor
from jobbtorg.deadlines import selectors
from jobbtorg.deadlines import services as deadline_services
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import RULES, Kind, State, state_of
from jobbtorg.notifications.selectors import badge_count, notices
from jobbtorg.notifications.services import digest_lines, send_digest
from jobbtorg.subsidies import services as subsidy_services
from jobbtorg.subsidies.rules import StepKind
from jobbtorg.subsidies.serializers import SubsidyStepSerializer
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
SUBSIDY = RULES[Kind.SUBSIDY_STEP].label
FIRST_MEETING = RULES[Kind.OSA_FIRST_PERIOD_MEETING].label


@pytest.fixture
def locmem_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend", "OPTIONS": {}}}


def _overdue_lonebidrag():
    """Seed 000 §2: Arbetsförmedlingen calls back within 3 days; the case was notified 13 days ago."""
    case = f.SubsidyCaseFactory(lonebidrag_overdue=True)
    return case, case.steps.get(kind=StepKind.LB_2_CALLBACK)


def test_overdue_subsidy_step_reaches_coach_badge_and_digest(locmem_mail):
    """DOMAIN §18 lönebidrag, seed 000 §2: the step's deadline is in the coach's badge and digest."""
    today = timezone.localdate()
    case, callback = _overdue_lonebidrag()
    coach = case.participation.coach
    stored = Deadline.objects.get(kind=Kind.SUBSIDY_STEP, subject_id=callback.pk)
    assert (stored.participation_id, stored.due_date, stored.responsible) == (case.participation_id, callback.due_on, "coach")
    assert f"{SUBSIDY}: 1 försenade" in digest_lines(coach, today)
    assert badge_count(coach, today) == selectors.worklist(coach, today).count() >= 1
    assert any(n.label == SUBSIDY and n.overdue == 1 for n in notices(coach, today))
    coach.email = "coach@example.se"
    assert send_digest(coach, today)
    assert f"{SUBSIDY}: 1 försenade" in mail.outbox[0].body


def test_completing_a_subsidy_step_closes_its_deadline():
    """Seed 000 §2: the callback done, its clock stops; the order (steps 1–2 within 5 days) runs on."""
    today = timezone.localdate()
    case, callback = _overdue_lonebidrag()
    coach = case.participation.coach
    actor = Actor(coach.pk, coach.username, coach.role)
    subsidy_services.complete_step(coach, actor, case.pk, version=case.version, kind=StepKind.LB_2_CALLBACK,
                                   done_on=today, today=today)  # fmt: skip
    stored = Deadline.objects.get(kind=Kind.SUBSIDY_STEP, subject_id=callback.pk)
    assert (stored.status, stored.done_on) == (Deadline.Status.DONE, today)
    order = case.steps.get(kind=StepKind.LB_2_ORDER)
    overdue = Deadline.objects.filter(selectors.overdue_q(today), kind=Kind.SUBSIDY_STEP, participation=case.participation)
    assert list(overdue.values_list("subject_id", flat=True)) == [order.pk]


def test_overdue_osa_follow_up_reaches_officer_badge_and_digest(locmem_mail):
    """OSA guidelines (seed 000): a joint meeting during the first period; overdue once it has ended."""
    today = timezone.localdate()
    officer = f.UserFactory(osa_officer=True, email="osa@example.se")
    case = f.OsaCaseFactory(started_long_ago=True)  # first period over, no meeting held
    stored = Deadline.objects.get(kind=Kind.OSA_FIRST_PERIOD_MEETING, subject_id=case.pk)
    assert stored.participation is None and stored.responsible == "osa" and stored.due_date < today
    assert badge_count(officer, today) == selectors.worklist(officer, today).count() >= 1
    assert f"{FIRST_MEETING}: 1 försenade" in digest_lines(officer, today)
    assert send_digest(officer, today)
    assert f"{FIRST_MEETING}: 1 försenade" in mail.outbox[0].body
    assert "Namnsson" not in mail.outbox[0].body  # counts only


def test_osa_follow_ups_reach_only_the_responsible_district():
    """DOMAIN §10: responsibility follows residence; another district's officer is not told."""
    today = timezone.localdate()
    f.OsaCaseFactory(started_long_ago=True)  # Rinkeby-Kista
    elsewhere = f.UserFactory(osa_officer=True, district=f.district("bromma"))
    assert badge_count(elsewhere, today) == 0 and digest_lines(elsewhere, today) == []


def test_osa_officer_badge_is_constant_cost():
    """bench/README.md: the badge runs on every page, so its queries do not grow with the cases."""
    today = timezone.localdate()
    officer = f.UserFactory(osa_officer=True)
    f.OsaCaseFactory(started_long_ago=True)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            badge_count(officer, today)
        return len(ctx.captured_queries)

    few = queries()
    for _ in range(4):
        f.OsaCaseFactory(started_long_ago=True)
    assert queries() == few == 1


@pytest.mark.parametrize(
    ("is_open", "due", "paused", "expected"),
    [
        (False, -10, None, State.DONE),
        (True, -10, -12, State.PAUSED),  # a paused clock is never overdue
        (True, -1, None, State.OVERDUE),
        (True, 0, None, State.DUE),
        (True, 60, None, State.UPCOMING),
        (True, None, None, State.UPCOMING),  # not started
    ],
)
def test_one_state_vocabulary(is_open, due, paused, expected):
    """ADR 0016: one `state_of` for every deadline, whatever its subject."""
    today = datetime.date(2026, 11, 23)  # a Monday
    due_on = None if due is None else today + due * DAY
    paused_on = None if paused is None else today + paused * DAY
    assert state_of(is_open=is_open, due=due_on, paused_on=paused_on, today=today) == expected


def test_subsidy_step_api_says_overdue_without_a_day_in_context():
    """Seed 000 §2: the step's overdue flag no longer defaults to "never overdue" (issue 9 item 2)."""
    _case, callback = _overdue_lonebidrag()
    assert SubsidyStepSerializer(callback).data["overdue"] is True


def test_worklist_rows_share_one_deadline_row():
    """One DeadlineRow for every list: the OSA case page shows its follow-ups with it."""
    today = timezone.localdate()
    case = f.OsaCaseFactory(started_long_ago=True)
    rows = selectors.rows(list(Deadline.objects.filter(subject_id=case.pk, kind__startswith="first")), today)
    assert [(r.state, r.person) for r in rows] == [(State.OVERDUE, None)]


def test_interruption_and_closure_leave_subject_clocks_to_their_service():
    """DOMAIN §4.4: an interruption pauses the participation's clocks; a subsidy step's clock is
    the subsidy service's (seed 000 §2 pauses it only for a completion), so it runs on."""
    today = timezone.localdate()
    case, callback = _overdue_lonebidrag()
    participation = case.participation
    plan = deadline_services.open_deadline(participation, Kind.PLAN_DRAWN_UP, due=today + 2 * DAY)
    deadline_services.pause(participation, today)
    step = Deadline.objects.get(kind=Kind.SUBSIDY_STEP, subject_id=callback.pk)
    plan.refresh_from_db()
    assert plan.paused_on == today and step.paused_on is None
    deadline_services.resume(participation, today + 3 * DAY)
    deadline_services.cancel_at_closure(participation, today + 3 * DAY)
    step.refresh_from_db()
    assert (step.status, step.due_date) == (Deadline.Status.OPEN, callback.due_on)
