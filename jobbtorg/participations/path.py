"""The participant's path as one step bar and one next action (issue 10 item 1, UX.md).

Anvisad → Inskriven → Kartläggning → Plan skickad → Godkänd → Insatser → Avslut. Which step a
participation is at follows from its own status and the state of its newest assessment, newest
plan and its activities (`PathFacts`, read in one query by `selectors.with_path`). The next action
is the first step the state tables allow that this user's capabilities grant (core.capabilities,
ADR 0013/0014): no role names here, and a page never offers what a service would refuse.

Plain Python apart from `reverse`: the facts come in, the step and the action go out.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_noop

from jobbtorg.core.capabilities import may
from jobbtorg.participations import rules
from jobbtorg.participations.models import Status


class PathStep(StrEnum):
    REFERRED = "referred"
    ENROLLED = "enrolled"
    ASSESSMENT = "assessment"
    PLAN_SENT = "plan_sent"
    APPROVED = "approved"
    ACTIVITIES = "activities"
    CLOSED = "closed"


# The steps in order, with their labels (translated where shown).
STEPS: tuple[tuple[PathStep, str], ...] = (
    (PathStep.REFERRED, gettext_noop("Anvisad")),
    (PathStep.ENROLLED, gettext_noop("Inskriven")),
    (PathStep.ASSESSMENT, gettext_noop("Kartläggning")),
    (PathStep.PLAN_SENT, gettext_noop("Plan skickad")),
    (PathStep.APPROVED, gettext_noop("Godkänd")),
    (PathStep.ACTIVITIES, gettext_noop("Insatser")),
    (PathStep.CLOSED, gettext_noop("Avslut")),
)
ORDER = [step for step, _label in STEPS]

# What the others wait for when this user has nothing to do at a step (shown instead of a button).
WAITING: dict[PathStep, str] = {
    PathStep.REFERRED: gettext_noop("Väntar på att deltagaren kommer till jobbtorget."),
    PathStep.PLAN_SENT: gettext_noop("Planen väntar på stadsdelens beslut."),
}

# Plan and assessment statuses (plans.models.Status, assessments.models.Status) as plain values:
# this module reads facts and does not import the apps above participations.
PLAN_EDITABLE = ("draft", "returned")
PLAN_SUBMITTED = "submitted"
PLAN_APPROVED = "approved"
ASSESSMENT_DRAFT = "draft"
ASSESSMENT_COMPLETE = "complete"


@dataclass(frozen=True)
class PathFacts:
    """What the path of one participation is computed from."""

    status: str
    coach_assigned: bool = False
    assessment_id: int | None = None
    assessment_status: str = ""  # of the newest version; "" when there is none
    plan_id: int | None = None
    plan_status: str = ""  # of the newest version; "" when there is none
    activity_count: int = 0
    running_activity_id: int | None = None  # an open activity, the one that ends first

    @classmethod
    def of(cls, participation: Any) -> "PathFacts":
        """From a participation annotated by `selectors.with_path` (missing annotations read as none)."""
        return cls(
            status=participation.status,
            coach_assigned=participation.coach_assigned_on is not None,
            assessment_id=getattr(participation, "path_assessment_id", None),
            assessment_status=getattr(participation, "path_assessment_status", None) or "",
            plan_id=getattr(participation, "path_plan_id", None),
            plan_status=getattr(participation, "path_plan_status", None) or "",
            activity_count=getattr(participation, "path_activity_count", 0) or 0,
            running_activity_id=getattr(participation, "path_running_activity_id", None),
        )


def step_of(facts: PathFacts) -> PathStep:
    """The step the participation is at: the furthest one its facts show."""
    if facts.status == Status.CLOSED:
        return PathStep.CLOSED
    if facts.status == Status.REFERRED:
        return PathStep.REFERRED
    if facts.activity_count and facts.plan_status == PLAN_APPROVED:
        return PathStep.ACTIVITIES
    if facts.plan_status == PLAN_APPROVED:
        return PathStep.APPROVED
    if facts.plan_status == PLAN_SUBMITTED:
        return PathStep.PLAN_SENT
    if facts.assessment_status or facts.plan_status:
        return PathStep.ASSESSMENT
    return PathStep.ENROLLED


@dataclass(frozen=True)
class NextAction:
    """One primary button: its label (Swedish msgid), where it goes and how (a link or a form post)."""

    label: str
    url: str
    method: str = "get"  # "post": a form with one button (it starts a draft)
    key: str = ""  # stable name for tests and styles

    @property
    def is_post(self) -> bool:
        return self.method == "post"


def _detail(participation_id: int, anchor: str) -> str:
    return reverse("participations:detail", args=[participation_id]) + anchor


def next_action(user: Any, participation: Any, facts: PathFacts | None = None) -> NextAction | None:
    """The first step along the path that the tables allow and this user may take; None when the
    user has nothing to do here now (another role's turn, or the path has ended)."""
    facts = facts or PathFacts.of(participation)
    known = rules.facts(participation)

    def can(name: str) -> bool:
        return may(user, name, **known)

    pid = participation.pk
    allowed = set(rules.allowed_actions(facts.status, lambda capability: can(f"participations.{capability}")))
    for candidate in _CANDIDATES:
        action = candidate(facts, pid, allowed, can)
        if action is not None:
            return action
    return None


Candidate = Callable[[PathFacts, int, set[str], Callable[[str], bool]], NextAction | None]


def _assign(facts: PathFacts, pid: int, allowed: set[str], can: Callable[[str], bool]) -> NextAction | None:
    if facts.status == Status.REFERRED and not facts.coach_assigned and can("participations.assign_coach"):
        return NextAction(gettext_noop("Tilldela coach"), _detail(pid, "#assign-h"), key="assign")
    return None


def _arrive(facts: PathFacts, pid: int, allowed: set[str], can: Callable[[str], bool]) -> NextAction | None:
    if rules.Action.ARRIVE in allowed:
        return NextAction(gettext_noop("Registrera ankomst"), _detail(pid, "#arrive-h"), key="arrive")
    return None


def _restart(facts: PathFacts, pid: int, allowed: set[str], can: Callable[[str], bool]) -> NextAction | None:
    if rules.Action.RESTART in allowed:
        return NextAction(gettext_noop("Registrera nystart"), _detail(pid, "#restart-h"), key="restart")
    return None


def _assessment(facts: PathFacts, pid: int, allowed: set[str], can: Callable[[str], bool]) -> NextAction | None:
    if facts.status != Status.ACTIVE or facts.plan_status or not can("assessments.edit"):
        return None
    if not facts.assessment_status:
        url = reverse("assessments:participation", args=[pid])
        return NextAction(gettext_noop("Starta kartläggningen"), url, method="post", key="assessment_start")
    if facts.assessment_status == ASSESSMENT_DRAFT:
        url = reverse("assessments:detail", args=[facts.assessment_id])
        return NextAction(gettext_noop("Fortsätt kartläggningen"), url, key="assessment_continue")
    return None


def _plan(facts: PathFacts, pid: int, allowed: set[str], can: Callable[[str], bool]) -> NextAction | None:
    if facts.status != Status.ACTIVE:
        return None
    if not facts.plan_status and facts.assessment_status == ASSESSMENT_COMPLETE and can("plans.edit"):
        url = reverse("plans:participation", args=[pid])
        return NextAction(gettext_noop("Upprätta aktivitetsplan"), url, method="post", key="plan_create")
    if facts.plan_status in PLAN_EDITABLE and can("plans.edit"):
        label = gettext_noop("Skicka planen") if facts.plan_status == "draft" else gettext_noop("Rätta och skicka planen")
        return NextAction(label, reverse("plans:detail", args=[facts.plan_id]), key="plan_send")
    if facts.plan_status == PLAN_SUBMITTED and can("plans.decide"):
        return NextAction(gettext_noop("Besluta om planen"), reverse("plans:decide", args=[facts.plan_id]), key="plan_decide")
    return None


def _activities(facts: PathFacts, pid: int, allowed: set[str], can: Callable[[str], bool]) -> NextAction | None:
    if facts.status != Status.ACTIVE or facts.plan_status != PLAN_APPROVED:
        return None
    if not facts.activity_count and can("activities.manage"):
        return NextAction(gettext_noop("Lägg till insats"), reverse("activities:create", args=[pid]), key="activity_add")
    if facts.running_activity_id and can("activities.register_attendance"):
        url = reverse("activities:detail", args=[facts.running_activity_id])
        return NextAction(gettext_noop("Registrera närvaro"), url, key="attendance")
    return None


def _close(facts: PathFacts, pid: int, allowed: set[str], can: Callable[[str], bool]) -> NextAction | None:
    # The primary step only once the planned activities have ended; before that closing stays
    # on the page as a secondary action (a job can come at any time), never the button to press.
    done = facts.plan_status == PLAN_APPROVED and facts.activity_count and not facts.running_activity_id
    if rules.Action.CLOSE in allowed and facts.status == Status.ACTIVE and done:
        return NextAction(gettext_noop("Avsluta deltagandet"), reverse("participations:close", args=[pid]), key="close")
    return None


# In path order: the first that answers is the primary button.
_CANDIDATES: tuple[Candidate, ...] = (_assign, _arrive, _restart, _assessment, _plan, _activities, _close)


@dataclass(frozen=True)
class StepView:
    step: PathStep
    label: str
    done: bool
    current: bool


@dataclass(frozen=True)
class Path:
    """What the step bar shows: the steps, the current one, the driving deadline, the action."""

    steps: list[StepView]
    current: PathStep
    interrupted: bool
    deadline: Any  # deadlines.selectors.DeadlineRow | None
    action: NextAction | None
    waiting: str

    @property
    def current_label(self) -> str:
        return next(s.label for s in self.steps if s.current)


def path_of(user: Any, participation: Any, deadline: Any = None, facts: PathFacts | None = None) -> Path:
    facts = facts or PathFacts.of(participation)
    current = step_of(facts)
    index = ORDER.index(current)
    steps = [
        StepView(step, label, done=i < index or current == PathStep.CLOSED, current=i == index)
        for i, (step, label) in enumerate(STEPS)
    ]
    action = next_action(user, participation, facts)
    return Path(
        steps=steps,
        current=current,
        interrupted=facts.status == Status.INTERRUPTED,
        deadline=deadline,
        action=action,
        waiting="" if action else WAITING.get(current, ""),
    )
