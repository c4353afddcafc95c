"""Pure rules for substitutions and emergency access (no database): what a valid period and a
valid reason are, in Swedish messages a coach understands."""

import datetime

from django.utils.translation import gettext as _

from jobbtorg.accounts.models import Role
from jobbtorg.accounts.rules import EVERY_ROLE, every
from jobbtorg.core.capabilities import UNIT

# A substitution is for an absence, set ahead or on the day: not backdated (it would open nothing
# that is still needed), not planned more than a year ahead, and at most half a year long; a longer
# absence is handled by assigning the participants to another coach.
MAX_START_AHEAD_DAYS = 365
MAX_PERIOD_DAYS = 183

# A reason must say something: a word or two is not a reason that a unit manager can judge.
MIN_REASON_LENGTH = 10
MAX_REASON_LENGTH = 1000

Errors = dict[str, list[str]]


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def validate_period(valid_from: datetime.date, valid_to: datetime.date, today: datetime.date) -> Errors:
    """The substitution's period: from today or later, to on or after from, at most half a year."""
    errors: Errors = {}
    if valid_from < today:
        _add(errors, "valid_from", _("Startdatum kan inte ligga bakåt i tiden."))
    elif (valid_from - today).days > MAX_START_AHEAD_DAYS:
        _add(errors, "valid_from", _("Startdatum kan ligga högst ett år fram i tiden."))
    if valid_to < valid_from:
        _add(errors, "valid_to", _("Slutdatum kan inte vara före startdatum."))
    elif (valid_to - valid_from).days + 1 > MAX_PERIOD_DAYS:
        _add(
            errors,
            "valid_to",
            _("En vikarie kan anges för högst sex månader i taget. Vid längre frånvaro: fördela om deltagarna."),
        )
    return errors


def validate_reason(reason: str) -> Errors:
    """The stated reason for an emergency access: required and long enough to be judged."""
    text = " ".join((reason or "").split())
    if not text:
        return {"reason": [_("Ange skälet till nödåtkomsten.")]}
    if len(text) < MIN_REASON_LENGTH:
        return {"reason": [_("Beskriv skälet med minst %(count)d tecken.") % {"count": MIN_REASON_LENGTH}]}
    if len(text) > MAX_REASON_LENGTH:
        return {"reason": [_("Skälet får vara högst %(count)d tecken.") % {"count": MAX_REASON_LENGTH}]}
    return {}


# Who may stand in and reach beyond the caseload (core.capabilities, ADR 0013). The list of
# substitutions and emergency accesses answers every role with the rows that concern it.
CAPABILITIES: dict[str, dict[str, str]] = {
    "read": every(EVERY_ROLE),
    "manage_substitutions": {Role.UNIT_MANAGER: UNIT, Role.COACH: UNIT},
    # A coach names her own substitute; the unit manager names them for any coach of the unit.
    "name_substitutes_for_others": {Role.UNIT_MANAGER: UNIT},
    "request_emergency_access": {Role.COACH: UNIT},
    "sign_emergency_access": {Role.UNIT_MANAGER: UNIT},
}
