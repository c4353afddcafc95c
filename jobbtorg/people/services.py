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
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.access.policy import check_person
from jobbtorg.accounts.models import Role, User
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core import personnummer
from jobbtorg.core.errors import AccessDenied, DomainError
from jobbtorg.core.locking import save_versioned
from jobbtorg.organisation.models import District
from jobbtorg.people.models import Person, ProtectionLevel

CREATOR_ROLES = frozenset({Role.COACH, Role.SOCIAL_WORKER})
EDITOR_ROLES = CREATOR_ROLES

NAME_FIELDS = ("first_name", "last_name")
CONTACT_FIELDS = ("street_address", "postal_code", "city", "phone", "email")
EDITABLE_FIELDS = ("personnummer", *NAME_FIELDS, "home_district", *CONTACT_FIELDS, "protection_level")

_MAX_LENGTHS = {"first_name": 100, "last_name": 100, "street_address": 200, "city": 100, "phone": 30, "email": 254}

WHAT_CREATE = "person: registrering"
WHAT_CHANGE = "person: ändring av grunduppgifter"


def may_create(user: User, district: District | None = None) -> bool:
    """Whether `user` may register a person (in `district`, when given)."""
    if not user.is_active or user.role not in CREATOR_ROLES:
        return False
    if user.role == Role.SOCIAL_WORKER:
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
    if not decision.allowed or user.role not in EDITOR_ROLES:
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
                person.contact_grants.add(user)
            # Field names only: the audit log must not become a second copy of the data.
            record(
                actor,
                Action.CHANGE,
                f"{what} ({', '.join(sorted(changed))})",
                person.pk,
                protected=person.is_protected or was_protected,
            )
    except IntegrityError as exc:
        _restore(person, previous)
        raise DomainError({"personnummer": [_duplicate_error()]}) from exc
    except DomainError:
        _restore(person, previous)
        raise
    return person


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
