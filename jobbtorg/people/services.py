"""The one write path for Person: register and change a participant.

Views, the API and imports call `create_person` / `update_person`; nothing else
saves a Person (seed_demo bulk-inserts synthetic people and says so). Each call
checks who may act, validates every field (errors as a dict of Swedish
messages in a DomainError), writes in one transaction with optimistic locking,
and appends an audit entry — a refusal is audited too (LEGAL.md).

Who may act:

| action | allowed for |
| --- | --- |
| register | coach (any district), social worker (own district only) |
| change | coach and social worker, and only when `access.policy.check_person` allows |

Everyone else (OSA officer, matcher, provider staff, manager, analyst, HR,
system administrator) is refused: they read people through their relation but
do not keep the registry. Address and contact details of a person with a
protected identity may be changed only by the staff named on the person
(`contact_grants`), since nobody else may even see them. The staff member who
registers a person as protected, or marks them protected, is named on the
person, or they could no longer reach the person they just handled.

Protection level (issue 8 item 2): the staff member who registers a person sets the
level from the population register (Skatteverket). After that an editor may only
**raise** it (none < sekretessmarkering < skyddad folkbokföring). Lowering or
removing it opens the person's address and every unit, district, matcher and
provider relation, so it is `lower_protection`'s alone: the unit manager of a
participation of the person (or a manager named on the person), or a user the
system administrator has made data-protection officer
(`User.is_data_protection_officer`), with a stated reason. Every protection
change is an Action.ACCESS entry with old and new level; a lowering (and every
refused one) is flagged for the log review, and the named staff and the coach
of the open participation are told (notifications.services, after commit, with
the person's id only).
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.access.policy import check_person, participation_live
from jobbtorg.accounts.audit import acting
from jobbtorg.accounts.models import User
from jobbtorg.audit.events import AuditEvent
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core import personnummer
from jobbtorg.core.capabilities import DISTRICT, holds, scope_of
from jobbtorg.core.errors import AccessDenied, DomainError
from jobbtorg.core.locking import save_versioned
from jobbtorg.notifications import services as notification_services
from jobbtorg.organisation.models import District
from jobbtorg.participations.models import OPEN_STATUSES, Participation
from jobbtorg.people.models import Person, ProtectionLevel

NAME_FIELDS = ("first_name", "last_name")
CONTACT_FIELDS = ("street_address", "postal_code", "city", "phone", "email")
EDITABLE_FIELDS = ("personnummer", *NAME_FIELDS, "home_district", *CONTACT_FIELDS, "protection_level")

_MAX_LENGTHS = {"first_name": 100, "last_name": 100, "street_address": 200, "city": 100, "phone": 30, "email": 254}

WHAT_CREATE = AuditEvent.PERSON_CREATED
WHAT_CHANGE = AuditEvent.PERSON_CHANGED
WHAT_RAISE = AuditEvent.PROTECTION_RAISED
WHAT_LOWER = AuditEvent.PROTECTION_LOWERED
WHAT_LOWER_REFUSED = AuditEvent.PROTECTION_LOWER_REFUSED

# Stronger protection ranks higher (people.models.ProtectionLevel).
PROTECTION_RANK = {
    ProtectionLevel.NONE: 0,
    ProtectionLevel.CONFIDENTIALITY_MARKING: 1,
    ProtectionLevel.PROTECTED_REGISTRATION: 2,
}
REASON_MIN_LENGTH = 10
REASON_MAX_LENGTH = 500


def protection_rank(level: str) -> int:
    return PROTECTION_RANK[ProtectionLevel(level)]


def is_lowering(old: str, new: str) -> bool:
    return protection_rank(new) < protection_rank(old)


def levels_above(level: str, *, including: bool = False) -> list[str]:
    """The levels an editor may choose for a person at `level` (itself too with `including`)."""
    rank = protection_rank(level)
    return [value for value in ProtectionLevel.values if PROTECTION_RANK[ProtectionLevel(value)] > rank - including]


def levels_below(level: str) -> list[str]:
    return [value for value in ProtectionLevel.values if PROTECTION_RANK[ProtectionLevel(value)] < protection_rank(level)]


class LoweringRefused(AccessDenied):
    """An editor tried to lower or remove a protection level (only raising is theirs)."""

    def __init__(self) -> None:
        super().__init__(lowering_refused_message())


def lowering_refused_message() -> str:
    return _(
        "Du kan bara höja skyddsnivån. Att sänka eller ta bort skyddet får bara enhetschefen "
        "eller dataskyddsansvarig göra, med ett angivet skäl."
    )


def may_create(user: User, district: District | None = None) -> bool:
    """Whether `user` may register a person (in `district`, when given)."""
    if not holds(user, "people.create"):
        return False
    if scope_of(user.role, "people.create") == DISTRICT:  # a social worker registers in the own district
        return user.district_id is not None and (district is None or district.pk == user.district_id)
    return True


def create_person(user: User, actor: Actor, data: Mapping[str, Any], *, what: str = WHAT_CREATE) -> Person:
    """Register a person; raise DomainError (field errors) or AccessDenied (audited)."""
    _reject_unknown_fields(data)
    if not may_create(user):
        record(actor, Action.CREATE, what, None, allowed=False)
        raise AccessDenied()
    today = timezone.localdate()
    values, errors = _clean(data, today, required=True)
    district = values.get("home_district")
    if district is not None and not may_create(user, district):
        # A social worker registers only the own district's residents.
        record(actor, Action.CREATE, what, None, allowed=False)
        raise AccessDenied()
    number = values.get("personnummer")
    if number and "personnummer" not in errors:
        existing = Person.objects.filter(personnummer=number).only("pk", "protection_level").first()
        if existing is not None:
            _record_existence_check(actor, what, existing)
            errors["personnummer"] = [_duplicate_error()]
    if errors:
        raise DomainError(errors)
    try:
        with transaction.atomic():
            person = Person.objects.create(**values)
            if person.is_protected:
                with acting(actor):  # the grant is an administration entry (accounts.audit)
                    person.contact_grants.add(user)
            record(actor, Action.CREATE, what, person.pk, protected=person.is_protected)
    except IntegrityError as exc:
        # Two registrations of the same number at once: the unique index decides.
        existing = Person.objects.filter(personnummer=number).only("pk", "protection_level").first()
        if existing is not None:
            _record_existence_check(actor, what, existing)
        raise DomainError({"personnummer": [_duplicate_error()]}) from exc
    return person


def _record_existence_check(actor: Actor, what: str, existing: Person) -> None:
    """Issue 8 item 3: "already registered" tells that the number exists, whoever asks and whether
    or not the person is theirs. The answer is the same field error for everyone; the look-up is
    logged as a refused search of that person, flagged for the log review."""
    record(
        actor,
        Action.SEARCH,
        f"{what}: personnummer finns redan",
        existing.pk,
        allowed=False,
        protected=existing.is_protected,
    )


def update_person(
    user: User,
    actor: Actor,
    person: Person,
    data: Mapping[str, Any],
    expected_version: int,
    *,
    what: str = WHAT_CHANGE,
) -> Person:
    """Change the given fields of `person`; only what is in `data` is touched.

    Raises AccessDenied (audited) without a relation, DomainError with field
    errors for bad input, ConflictError when someone saved since `expected_version`.
    """
    _reject_unknown_fields(data)
    decision = check_person(user, person)
    if not decision.allowed or not holds(user, "people.edit"):
        record(actor, Action.CHANGE, what, person.pk, allowed=False, protected=person.is_protected)
        raise AccessDenied()
    today = timezone.localdate()
    values, errors = _clean(data, today, required=False)
    changed = {name: value for name, value in values.items() if _current(person, name) != value}
    if person.is_protected and not decision.see_contact_details:
        for name in CONTACT_FIELDS:
            if name in changed:
                errors.setdefault(name, []).append(
                    ValidationError(
                        _(
                            "Bara namngiven personal får ändra adress och kontaktuppgifter "
                            "för en person med skyddade personuppgifter."
                        ),
                        code="protected",
                    )
                )
    new_level = changed.get("protection_level")
    if new_level is not None and is_lowering(person.protection_level, new_level):
        # Only raising is an editor's (module docstring); the attempt is flagged for the log review.
        record(
            actor,
            Action.ACCESS,
            WHAT_LOWER_REFUSED,
            person.pk,
            allowed=False,
            flagged=True,
            details={"old": person.protection_level, "new": new_level},
        )
        raise LoweringRefused()
    number = changed.get("personnummer")
    if number and "personnummer" not in errors and Person.objects.filter(personnummer=number).exclude(pk=person.pk).exists():
        errors["personnummer"] = [_duplicate_error()]
    if errors:
        raise DomainError(errors)
    if not changed:
        return person
    previous = {name: getattr(person, name) for name in changed}
    for name, value in changed.items():
        setattr(person, name, value)
    person.updated_at = timezone.now()
    fields = [("home_district_id" if name == "home_district" else name) for name in changed] + ["updated_at"]
    was_protected = previous.get("protection_level", person.protection_level) != ProtectionLevel.NONE
    try:
        with transaction.atomic():
            save_versioned(person, expected_version, fields)
            if person.is_protected and not was_protected:
                # Whoever marks the identity protected keeps reaching it (see the module docstring).
                with acting(actor):  # the grant is an administration entry (accounts.audit)
                    person.contact_grants.add(user)
            # Field names only: the audit log must not become a second copy of the data.
            record(
                actor,
                Action.CHANGE,
                f"{what} ({', '.join(sorted(changed))})",
                person.pk,
                protected=person.is_protected or was_protected,
            )
            if "protection_level" in changed:
                old_level = previous["protection_level"]
                record(
                    actor,
                    Action.ACCESS,
                    WHAT_RAISE,
                    person.pk,
                    protected=True,
                    details={"old": old_level, "new": person.protection_level},
                )
    except IntegrityError as exc:
        _restore(person, previous)
        raise DomainError({"personnummer": [_duplicate_error()]}) from exc
    except DomainError:
        _restore(person, previous)
        raise
    return person


# --- lowering the protection level ---------------------------------------------------------------


def may_lower_protection(user: User, person: Person, today: datetime.date | None = None) -> bool:
    """The data-protection officer, or the unit manager of a live participation of the person
    (or a manager named on the person). Decided here, not by access.policy: the manager
    does not see a protected person through the unit, yet is the one who may lift it."""
    if not user.is_active:
        return False
    if user.is_data_protection_officer:
        return True
    if not holds(user, "people.lower_protection"):
        return False
    if person.contact_grants.filter(pk=user.pk).exists():
        return True
    if not user.jobbtorg_unit_id:
        return False
    live = participation_live(today or timezone.localdate())
    return Participation.objects.filter(live, person=person, unit_id=user.jobbtorg_unit_id).exists()


def may_raise_protection(user: User) -> bool:
    """Editors of a person may raise the level (the relation itself is checked by access.policy)."""
    return holds(user, "people.raise_protection")


def may_reach_protection_page(user: User) -> bool:
    """Whether to offer the protection-level page at all; the page decides per person. No query."""
    return may_raise_protection(user) or holds(user, "people.lower_protection") or user.is_data_protection_officer


def lower_protection(
    user: User, actor: Actor, person: Person, level: Any, reason: Any, expected_version: int | None
) -> Person:
    """Lower or remove `person`'s protection level, with a stated reason.

    Raises AccessDenied (audited, flagged) for anybody but the unit manager and the
    data-protection officer, DomainError for a level that is not lower or a missing reason,
    ConflictError when someone saved since `expected_version`. The allowed change is a
    flagged Action.ACCESS entry (old and new level, reason), and the named staff and the
    coach of the open participation are told once the change is committed.
    """
    old_level = person.protection_level
    if not may_lower_protection(user, person):
        record(
            actor,
            Action.ACCESS,
            WHAT_LOWER_REFUSED,
            person.pk,
            allowed=False,
            flagged=True,
            details={"old": old_level, "new": str(level or "")},
        )
        raise AccessDenied(lowering_refused_message())
    errors: dict[str, list[ValidationError]] = {}
    new_level = str(level or "")
    if new_level not in levels_below(old_level):
        current = ProtectionLevel(old_level).label
        message = (
            _("Personen har ingen skyddsnivå att sänka.")
            if old_level == ProtectionLevel.NONE
            else _("Välj en lägre skyddsnivå än den nuvarande (%(current)s).") % {"current": current}
        )
        errors["protection_level"] = [ValidationError(message, code="not_lower")]
    text = " ".join(str(reason or "").split())
    if not text:
        errors["reason"] = [
            ValidationError(
                _("Ange skälet till att skyddet sänks, till exempel ändrade uppgifter från Skatteverket."),
                code="required",
            )
        ]
    elif len(text) < REASON_MIN_LENGTH:
        errors["reason"] = [
            ValidationError(
                _("Skriv skälet med minst %(min)d tecken, så att det går att förstå vid loggranskningen.")
                % {"min": REASON_MIN_LENGTH},
                code="min_length",
            )
        ]
    elif len(text) > REASON_MAX_LENGTH:
        errors["reason"] = [
            ValidationError(
                _("Texten är för lång – högst %(limit)d tecken.") % {"limit": REASON_MAX_LENGTH}, code="max_length"
            )
        ]
    if errors:
        raise DomainError(errors)
    person.protection_level = new_level
    person.updated_at = timezone.now()
    try:
        with transaction.atomic():
            save_versioned(person, expected_version, ["protection_level", "updated_at"])
            record(
                actor,
                Action.ACCESS,
                WHAT_LOWER,
                person.pk,
                flagged=True,
                details={"old": old_level, "new": new_level, "reason": text},
            )
            recipients = _protection_staff(person, exclude=user)
            person_id = person.pk
            transaction.on_commit(
                lambda: notification_services.protection_lowered(person_id, recipients, old_level, new_level)
            )
    except DomainError:
        person.protection_level = old_level
        raise
    return person


def _protection_staff(person: Person, *, exclude: User) -> list[int]:
    """Who is told of a lowering: the named staff and the coach of the open participation."""
    named = set(person.contact_grants.values_list("pk", flat=True))
    coaches = Participation.objects.filter(person=person, status__in=OPEN_STATUSES, coach__isnull=False)
    named.update(coaches.values_list("coach_id", flat=True))
    named.discard(exclude.pk)
    return sorted(named)


# --- validation --------------------------------------------------------------------------------


def _duplicate_error() -> ValidationError:
    return ValidationError(_("Det finns redan en person med det personnumret"), code="duplicate")


def _reject_unknown_fields(data: Mapping[str, Any]) -> None:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        # A programming error, not a user's: callers pass only the person's fields.
        raise TypeError(f"unknown person fields: {sorted(unknown)}")


def _current(person: Person, name: str) -> Any:
    if name == "home_district":
        return person.home_district if person.home_district_id else None
    return getattr(person, name)


def _restore(person: Person, previous: dict[str, Any]) -> None:
    for name, value in previous.items():
        setattr(person, name, value)


def _clean(
    data: Mapping[str, Any], today: datetime.date, *, required: bool
) -> tuple[dict[str, Any], dict[str, list[ValidationError]]]:
    """Validate and normalise the fields present in `data` (all required ones when `required`)."""
    values: dict[str, Any] = {}
    errors: dict[str, list[ValidationError]] = {}

    def fail(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if "personnummer" in data or required:
        raw = data.get("personnummer")
        if raw is None or not str(raw).strip():
            fail("personnummer", _("Ange personnummer eller samordningsnummer."), "required")
        else:
            try:
                values["personnummer"] = personnummer.normalise(str(raw), today=today)
            except ValidationError as exc:
                errors["personnummer"] = exc.error_list

    for name, message in (("first_name", _("Ange förnamn.")), ("last_name", _("Ange efternamn."))):
        if name in data or required:
            value = " ".join(str(data.get(name) or "").split())
            if not value:
                fail(name, message, "required")
            else:
                values[name] = value

    if "home_district" in data or required:
        raw_district = data.get("home_district")
        district = _district(raw_district)
        if raw_district in (None, ""):
            fail("home_district", _("Välj en hemstadsdel."), "required")
        elif district is None:
            fail("home_district", _("Stadsdelen finns inte – välj en i listan."), "invalid")
        elif not _district_valid_on(district, today):
            fail("home_district", _("Stadsdelen finns inte längre – välj en av dagens stadsdelar."), "invalid")
        else:
            values["home_district"] = district

    for name in ("street_address", "city", "phone", "email"):
        if name in data:
            values[name] = " ".join(str(data.get(name) or "").split())
    if "postal_code" in data:
        code = "".join(str(data.get("postal_code") or "").split())
        if code and not (len(code) == 5 and code.isdigit() and code.isascii()):
            fail("postal_code", _("Ange postnumret med fem siffror, till exempel 163 55."), "invalid")
        else:
            values["postal_code"] = code
    if values.get("email"):
        try:
            validate_email(values["email"])
        except ValidationError:
            fail("email", _("Ange en giltig e-postadress, till exempel namn@exempel.se."), "invalid")
    for name, limit in _MAX_LENGTHS.items():
        if len(values.get(name) or "") > limit:
            fail(name, _("Texten är för lång – högst %(limit)d tecken.") % {"limit": limit}, "max_length")

    if "protection_level" in data:
        level = data.get("protection_level") or ProtectionLevel.NONE
        if level not in ProtectionLevel.values:
            fail("protection_level", _("Välj en skyddsnivå i listan."), "invalid")
        else:
            values["protection_level"] = level

    for name in errors:
        values.pop(name, None)
    return values, errors


def _district(value: Any) -> District | None:
    if isinstance(value, District):
        return value
    if value in (None, ""):
        return None
    try:
        return District.objects.filter(pk=int(value)).first()
    except (TypeError, ValueError):
        return None


def _district_valid_on(district: District, day: datetime.date) -> bool:
    return district.valid_from <= day and (district.valid_to is None or district.valid_to >= day)
