"""Pure rules of a referral (DOMAIN §3, §4.1): target groups and their conditions,
consent or legal ground, the referral date, and the choice of another unit.

Given facts, return Swedish field errors; services decide what to do with them.
"""

import datetime
from collections.abc import Sequence
from typing import Protocol

from django.utils.translation import gettext as _

from jobbtorg.accounts.models import Role
from jobbtorg.accounts.rules import EVERY_ROLE, every
from jobbtorg.core.capabilities import DISTRICT

Errors = dict[str, list[str]]


class GroupFacts(Protocol):
    code: str
    name: str
    needs_conditions: bool
    needs_consent: bool


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def validate_target_groups(
    groups: Sequence[GroupFacts],
    *,
    need_assessed: bool,
    af_no_measure: bool,
    assistance_decision: bool,
    has_consent: bool,
) -> Errors:
    """At least one group; "other groups" only when all three conditions hold (DOMAIN §3)."""
    errors: Errors = {}
    if not groups:
        _add(errors, "target_groups", _("Välj minst en målgrupp."))
    for group in groups:
        if group.needs_conditions and not (need_assessed and af_no_measure and assistance_decision):
            _add(
                errors,
                "target_groups",
                _(
                    "Målgruppen %(group)s kräver att alla tre villkor är uppfyllda: en individuell bedömning visar "
                    "behovet, Arbetsförmedlingen har inte kunnat erbjuda en lämplig insats och det finns ett "
                    "biståndsbeslut enligt socialtjänstlagen."
                )
                % {"group": group.name},
            )
        if group.needs_consent and not has_consent:
            _add(
                errors,
                "target_groups",
                _("Målgruppen %(group)s får bara registreras med personens samtycke. Ange samtycke.") % {"group": group.name},
            )
    return errors


def validate_consent(
    consent_given_on: datetime.date | None,
    consent_scope: str,
    legal_ground: str,
    referred_on: datetime.date | None,
    today: datetime.date,
) -> Errors:
    """Consent (date and scope) or the legal ground; the auditors found consent seldom documented."""
    errors: Errors = {}
    scope = consent_scope.strip()
    if consent_given_on is None and not scope and not legal_ground.strip():
        _add(
            errors,
            "consent_given_on",
            _(
                "Ange när personen samtyckte till informationsutbyte och vad samtycket omfattar, "
                "eller ange den rättsliga grunden."
            ),
        )
        return errors
    if consent_given_on is not None and not scope:
        _add(errors, "consent_scope", _("Ange vad samtycket omfattar."))
    if scope and consent_given_on is None:
        _add(errors, "consent_given_on", _("Ange datum för samtycket."))
    if consent_given_on is not None:
        if consent_given_on > today:
            _add(errors, "consent_given_on", _("Datum för samtycket kan inte vara i framtiden."))
        elif referred_on is not None and consent_given_on > referred_on:
            _add(errors, "consent_given_on", _("Samtycket ska vara lämnat senast på anvisningsdatum."))
    if len(scope) > 500:
        _add(errors, "consent_scope", _("Texten är för lång – högst 500 tecken."))
    if len(legal_ground.strip()) > 500:
        _add(errors, "legal_ground", _("Texten är för lång – högst 500 tecken."))
    return errors


def validate_referred_on(referred_on: datetime.date | None, today: datetime.date) -> Errors:
    errors: Errors = {}
    if referred_on is None:
        _add(errors, "referred_on", _("Ange anvisningsdatum."))
    elif referred_on > today:
        _add(errors, "referred_on", _("Anvisningsdatum kan inte vara i framtiden."))
    return errors


def validate_unit_choice(derived_unit_id: int | None, chosen_unit_id: int | None, reason: str) -> Errors:
    """Another (specialised) unit than the service area's may be chosen, with a reason."""
    errors: Errors = {}
    if chosen_unit_id is not None and chosen_unit_id != derived_unit_id and not reason.strip():
        _add(errors, "unit_reason", _("Ange varför personen anvisas till ett annat jobbtorg än det som betjänar stadsdelen."))
    return errors


def has_consent(consent_given_on: datetime.date | None, consent_scope: str) -> bool:
    return consent_given_on is not None and bool(consent_scope.strip())


# Who may refer (core.capabilities, ADR 0013): a social worker, for persons of the own district.
# Returning a referral is the Jobbtorg's (participations.return_referral).
CAPABILITIES: dict[str, dict[str, str]] = {
    "read": {Role.SOCIAL_WORKER: DISTRICT},  # the district's referrals
    "refer": {Role.SOCIAL_WORKER: DISTRICT},
    # Withdraw a referral before the person arrived (the participation's step is
    # participations.withdraw_referral, asked per referral by the service).
    "withdraw": {Role.SOCIAL_WORKER: DISTRICT},
    "target_groups": every(EVERY_ROLE),  # reference data
}
