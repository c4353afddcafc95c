"""Rules of the assessment instrument (DOMAIN §4.3, §11), as plain functions without the ORM.

- The instrument's sections and the fields in each are data (SECTIONS), used by the
  web form, the API and the services alike.
- Who may read and edit: the participant's coaches at the Jobbtorg unit edit; the
  health section is shown to and edited by the participation's own coach only.
- What must be filled in before a version can be completed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from jobbtorg.accounts.models import Role
from jobbtorg.accounts.rules import EVERY_ROLE, every
from jobbtorg.core import state_machine
from jobbtorg.core.capabilities import CapabilityTable
from jobbtorg.core.types import StrOrPromise
from jobbtorg.participations.rules import CASEWORK

# Who may do what to an assessment (core.capabilities, ADR 0013); access decides the relation.
# Provider staff and matchers work from the plan and activities, not the assessment. Editing
# is casework: the same row as plans and activities (participations.rules.CASEWORK).
CAPABILITIES: CapabilityTable = {
    "read": every((Role.COACH, Role.UNIT_MANAGER, Role.SOCIAL_WORKER, Role.OSA_OFFICER)),
    "edit": CASEWORK,
    "occupations": every(EVERY_ROLE),  # the occupation list (reference data)
}

HEALTH_GROUP = "hälsa"


@dataclass(frozen=True)
class Section:
    key: str  # also the URL slug and the HTML id
    title: StrOrPromise
    fields: tuple[str, ...]
    strict: bool = False  # health: own coach only


SECTIONS: tuple[Section, ...] = (
    Section("utbildning", _("Utbildning"), ("education_level", "education_country", "education_years", "education_notes")),
    Section("arbetslivserfarenhet", _("Arbetslivserfarenhet"), ()),  # rows, see WorkExperience
    Section("svenska", _("Svenska språket"), ("swedish_level", "sfi_test_date", "sfi_test_result", "other_languages")),
    Section(
        "halsa", _("Hälsa och funktionsnedsättning"), ("health", "disabilities", "work_capacity", "adaptations"), strict=True
    ),
    Section("social", _("Social situation"), ("housing", "children_in_household", "social_situation")),
    Section("mal", _("Mål"), ("goals", "goal_occupation")),
    Section("vagledning", _("Vägledning och validering"), ("guidance_requested", "validation_requested", "validation_notes")),
)
SECTIONS_BY_KEY = {s.key: s for s in SECTIONS}
HEALTH_FIELDS = SECTIONS_BY_KEY["halsa"].fields
# Every assessment field a draft update may set (health excluded: it has its own path).
ASSESSMENT_FIELDS = tuple(f for s in SECTIONS if not s.strict for f in s.fields)

# Filled in before a version can be completed: the base the plan is built on.
REQUIRED_TO_COMPLETE = {
    "education_level": _("Ange utbildningsnivå."),
    "swedish_level": _("Ange kunskaper i svenska."),
    "goals": _("Beskriv deltagarens mål."),
}


def completion_errors(values: dict[str, object]) -> dict[str, list[str]]:
    """Field errors that stop a draft from being completed (empty dict: may complete)."""
    errors: dict[str, list[str]] = {}
    for field, message in REQUIRED_TO_COMPLETE.items():
        value = values.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors[field] = [str(message)]
    if values.get("validation_requested") and not str(values.get("validation_notes") or "").strip():
        errors["validation_notes"] = [str(_("Skriv vad som ska valideras."))]
    return errors


def may_see_health(*, user_id: int, coach_id: int | None) -> bool:
    """Health data: the participation's own coach, nobody else (GDPR art. 9, DOMAIN §11)."""
    return coach_id is not None and user_id == coach_id


# --- the assessment's state machine (ADR 0014) ---------------------------------------------------

DRAFT, COMPLETE = "draft", "complete"  # models.Status
FROZEN = _("Kartläggningen är slutförd och kan inte ändras. Starta en ny version för att ändra den.")


class Step(StrEnum):
    EDIT = "edit"
    COMPLETE = "complete"  # freezes the version
    REVISE = "revise"  # a completed version gets a new draft version; it stays complete itself


TRANSITIONS: dict[tuple[str, str], state_machine.Step] = {
    (DRAFT, Step.EDIT): state_machine.Step(DRAFT, "edit"),
    (DRAFT, Step.COMPLETE): state_machine.Step(COMPLETE, "edit"),
    (COMPLETE, Step.REVISE): state_machine.Step(COMPLETE, "edit"),
}


def allowed_steps(status: str, permitted: Callable[[str], bool]) -> list[str]:
    """The steps on a version with `status` whose capability `permitted` grants (the page offers
    exactly these; the caller asks core.capabilities with the participation's facts)."""
    return state_machine.allowed(TRANSITIONS, status, permitted)


def next_status(status: str, step: str) -> str:
    """The status after `step`; a completed version is frozen, a draft is not revised but edited."""
    refused = FROZEN if status == COMPLETE else _("Kartläggningen är ett utkast: ändra i utkastet.")
    return state_machine.next_status(TRANSITIONS, status, step, str(refused), field=None)
