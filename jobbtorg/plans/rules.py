"""Rules of the activity plan (DOMAIN §4.4, seed 002 "Individens väg"), plain Python without the ORM.

- The state machine as data: TRANSITIONS maps (status, step) to the next status,
  and WHO says which side takes each step (the Jobbtorg's coach or the home district).
- A plan normally covers at most six months from its start to its review
  (omprövning); a longer plan needs a recorded reason.
- Dates: a review date after the start date; each planned activity ends on or after it starts.
- Who may do what: coaches at the participation's Jobbtorg unit draw up and submit;
  only a social worker of the participant's home district approves or returns.
- Waiting time: working days since submission (Swedish holidays, core.workdays).
"""

import datetime
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobbtorg.accounts.models import Role
from jobbtorg.accounts.rules import every
from jobbtorg.core.capabilities import HOME_DISTRICT, CapabilityTable
from jobbtorg.core.errors import DomainError
from jobbtorg.core.workdays import add_months, working_days_between
from jobbtorg.participations.rules import CASEWORK
from jobbtorg.plans.models import Status

MAX_PLAN_MONTHS = 6
# Even with a recorded reason a plan is reviewed within 18 months: nobody takes part longer (DOMAIN §4.4).
MAX_LONG_PLAN_MONTHS = 18
# Dates outside this range are typing errors; refusing them also keeps date arithmetic safe.
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2099, 12, 31)


class Step(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    REJECT = "reject"  # not approved: the version is closed and the coach draws up a new plan
    REVISE = "revise"  # an approved plan gets a new draft version; the approved one stays valid
    SUPERSEDE = "supersede"  # a newer version was approved


# The state machine, as data: (from, step) → to.
TRANSITIONS: dict[tuple[Status, Step], Status] = {
    (Status.DRAFT, Step.SUBMIT): Status.SUBMITTED,
    (Status.RETURNED, Step.SUBMIT): Status.SUBMITTED,  # after an edit (see submit_errors)
    (Status.SUBMITTED, Step.APPROVE): Status.APPROVED,
    (Status.SUBMITTED, Step.RETURN): Status.RETURNED,
    (Status.SUBMITTED, Step.REJECT): Status.REJECTED,
    (Status.APPROVED, Step.REVISE): Status.APPROVED,  # unchanged; the new version starts as DRAFT
    (Status.APPROVED, Step.SUPERSEDE): Status.SUPERSEDED,
}

# Which side takes each step.
WHO: dict[Step, str] = {
    Step.SUBMIT: "coach",
    Step.REVISE: "coach",
    Step.APPROVE: "district",
    Step.RETURN: "district",
    Step.REJECT: "district",
    Step.SUPERSEDE: "system",
}

EDITABLE = (Status.DRAFT, Status.RETURNED)

STEP_REFUSED = {
    Step.SUBMIT: gettext_lazy("Planen kan inte skickas när den har status ”%(status)s”."),
    Step.APPROVE: gettext_lazy("Planen kan inte godkännas när den har status ”%(status)s”."),
    Step.RETURN: gettext_lazy("Planen kan inte skickas tillbaka när den har status ”%(status)s”."),
    Step.REJECT: gettext_lazy("Planen kan inte avslås när den har status ”%(status)s”."),
    Step.REVISE: gettext_lazy("Bara en godkänd plan kan få en ny version. Ändra i den version som redan är under arbete."),
    Step.SUPERSEDE: gettext_lazy("Planen kan inte ersättas när den har status ”%(status)s”."),
}

# Who may do what to a plan (core.capabilities, ADR 0013); access.policy decides the relation.
# "edit" draws up, submits and revises (the coach side of WHO), "decide" approves or returns
# (the district side): a social worker of the participant's home district, nobody else.
CAPABILITIES: CapabilityTable = {
    "read": every((Role.COACH, Role.UNIT_MANAGER, Role.SOCIAL_WORKER, Role.OSA_OFFICER, Role.MATCHER)),
    "edit": CASEWORK,
    "decide": {Role.SOCIAL_WORKER: HOME_DISTRICT},
}
# The capability behind each side of WHO.
SIDE_CAPABILITY = {"coach": "plans.edit", "district": "plans.decide"}


def next_status(status: str, step: Step) -> Status:
    """The status after `step`, or a DomainError saying why the step is not possible now."""
    try:
        return TRANSITIONS[(Status(status), step)]
    except KeyError:
        raise DomainError(str(STEP_REFUSED[step]) % {"status": Status(status).label}) from None


def allowed_steps(status: str) -> set[Step]:
    return {step for (source, step) in TRANSITIONS if source == status}


def district_steps(status: str) -> set[Step]:
    """The decisions the home district may take on a plan in `status` (the decision page offers these)."""
    return {step for step in allowed_steps(status) if WHO[step] == "district"}


def may_draw_up_new(statuses: list[str]) -> bool:
    """A new plan may be drawn up when there is none, or when the newest version was rejected and no
    approved version is valid (with one, the coach makes a new version of it instead).
    `statuses`: the participation's versions, newest first."""
    if not statuses:
        return True
    return statuses[0] == Status.REJECTED and Status.APPROVED not in statuses


def longest_review_date(start: datetime.date) -> datetime.date:
    """The latest review date a plan may have without a recorded reason."""
    return add_months(start, MAX_PLAN_MONTHS)


def default_review_date(start: datetime.date) -> datetime.date:
    return longest_review_date(start)


def _range_errors(**dates: datetime.date | None) -> dict[str, list[str]]:
    return {
        name: [_("Ange ett datum mellan %(first)s och %(last)s.") % {"first": EARLIEST_DATE.isoformat(),
                                                                      "last": LATEST_DATE.isoformat()}]
        for name, value in dates.items()
        if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE
    }


def plan_errors(
    *,
    start: datetime.date | None,
    review: datetime.date | None,
    long_plan_reason: str,
    referred_on: datetime.date | None = None,
) -> dict[str, list[str]]:
    """Errors in the plan's dates; checked on every save, so a bad plan is never stored.
    The plan starts on or after the referral (issue 8 item 11)."""
    errors = _range_errors(start_date=start, review_date=review)
    if errors:
        return errors
    if start and referred_on and start < referred_on:
        errors["start_date"] = [
            _("Startdatum kan inte vara före anvisningsdatum %(date)s.") % {"date": referred_on.isoformat()}
        ]
    if start and review:
        if review <= start:
            errors["review_date"] = [_("Ange ett omprövningsdatum som är efter startdatum.")]
        elif review > add_months(start, MAX_LONG_PLAN_MONTHS):
            errors["review_date"] = [
                _("Omprövningen ska ske senast %(latest)s: ingen deltar längre än %(months)s månader.")
                % {"latest": add_months(start, MAX_LONG_PLAN_MONTHS).isoformat(), "months": MAX_LONG_PLAN_MONTHS}
            ]
        elif review > longest_review_date(start) and not long_plan_reason.strip():
            errors["long_plan_reason"] = [
                _(
                    "Planen är längre än sex månader (omprövning senast %(latest)s). "
                    "Skriv skälet till den längre planen, eller välj ett tidigare omprövningsdatum."
                )
                % {"latest": longest_review_date(start).isoformat()}
            ]
    return errors


def activity_errors(
    *,
    description: str,
    start: datetime.date | None,
    end: datetime.date | None,
    plan_start: datetime.date | None = None,
    plan_review: datetime.date | None = None,
) -> dict[str, list[str]]:
    """A planned activity: described, dated, and within the plan's period from its start to its
    review date (issue 8 item 11)."""
    errors = _range_errors(start_date=start, end_date=end)
    if errors:
        return errors
    if not (description or "").strip():
        errors["description"] = [_("Skriv vad aktiviteten är, eller välj en insats ur utbudet.")]
    if start is None:
        errors["start_date"] = [_("Ange startdatum.")]
    if end is None:
        errors["end_date"] = [_("Ange slutdatum.")]
    if start and end and end < start:
        errors["end_date"] = [_("Ange ett slutdatum som är efter startdatum.")]
    if plan_start and start and start < plan_start:
        errors.setdefault("start_date", []).append(
            _("Aktiviteten kan inte börja före planens startdatum %(date)s.") % {"date": plan_start.isoformat()}
        )
    if plan_review and end and end > plan_review:
        errors.setdefault("end_date", []).append(
            _("Aktiviteten kan inte sluta efter planens omprövningsdatum %(date)s.") % {"date": plan_review.isoformat()}
        )
    return errors


def outside_period_errors(
    rows: list[tuple[str, datetime.date, datetime.date]], plan_start: datetime.date | None, plan_review: datetime.date | None
) -> dict[str, list[str]]:
    """When the plan's period changes, its activities (description, start, end) must still lie within it."""
    errors: dict[str, list[str]] = {}
    for description, start, end in rows:
        field = None
        if plan_start and start < plan_start:
            field = "start_date"
        elif plan_review and end > plan_review:
            field = "review_date"
        if field:
            errors.setdefault(field, []).append(
                _("Aktiviteten ”%(activity)s” (%(start)s – %(end)s) ligger utanför planens period. Ändra den först.")
                % {"activity": description, "start": start.isoformat(), "end": end.isoformat()}
            )
    return errors


def submit_errors(
    *,
    goal: str,
    start: datetime.date | None,
    review: datetime.date | None,
    long_plan_reason: str,
    activity_count: int,
    status: str,
    version: int,
    version_at_return: int | None,
) -> dict[str, list[str]]:
    """What stops a plan from being sent to the district (empty: it may be sent)."""
    errors: dict[str, list[str]] = {}
    if not goal.strip():
        errors["goal"] = [_("Skriv planens mål.")]
    if start is None:
        errors["start_date"] = [_("Ange startdatum.")]
    if review is None:
        errors["review_date"] = [_("Ange omprövningsdatum.")]
    for field, messages in plan_errors(start=start, review=review, long_plan_reason=long_plan_reason).items():
        errors.setdefault(field, []).extend(messages)
    if activity_count == 0:
        errors["activities"] = [_("Lägg till minst en planerad aktivitet.")]
    if status == Status.RETURNED and version_at_return is not None and version <= version_at_return:
        errors.setdefault("__all__", []).append(
            _("Planen skickades tillbaka av stadsdelen. Ändra den efter kommentaren innan du skickar den igen.")
        )
    return errors


def waiting_days(submitted_on: datetime.date | None, today: datetime.date) -> int | None:
    """Working days the plan has waited for the district since it was submitted."""
    if submitted_on is None:
        return None
    return working_days_between(submitted_on, today)
