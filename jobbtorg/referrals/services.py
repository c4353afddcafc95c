"""The one write path for referrals (DOMAIN §3, §4.1): the form, the API and the CSV
import all call `create_referral`.

A referral is made by a social worker of the person's home district. It finds
the person by personnummer within the worker's access (or registers a new one
through people.services), derives the receiving Jobbtorg unit from the service
area valid on the referral date (organisation.selectors.unit_for_district), opens
the participation through participations.services, books the first
appointment and starts the clocks: the first appointment, and for the
job-guarantee group the offer of work or education within five working days.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.access.policy import check_person, visible_persons
from jobbtorg.accounts.models import User
from jobbtorg.audit.events import AuditEvent
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record, record_many
from jobbtorg.core import bulk, personnummer
from jobbtorg.core.capabilities import holds
from jobbtorg.core.errors import AccessDenied, DomainError
from jobbtorg.deadlines import rules as deadline_rules
from jobbtorg.deadlines import services as deadlines
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import Kind
from jobbtorg.organisation.models import District, JobbtorgUnit
from jobbtorg.organisation.selectors import unit_for_district
from jobbtorg.participations import rules as participation_rules
from jobbtorg.participations import services as participations
from jobbtorg.participations.models import OPEN_STATUSES, Participation, Status
from jobbtorg.people import services as people
from jobbtorg.people.models import Person
from jobbtorg.referrals import rules
from jobbtorg.referrals.models import Referral, ReferralImport, TargetGroup
from jobbtorg.timeline import services as timeline
from jobbtorg.timeline.kinds import EventKind
from jobbtorg.timeline.models import TimelineEntry

WHAT_CREATE = AuditEvent.REFERRAL


@dataclass
class ReferralInput:
    """What a referral says, from a form, an API call or a CSV row (already parsed, not yet validated)."""

    personnummer: str
    first_name: str = ""
    last_name: str = ""
    target_groups: list[str] = field(default_factory=list)  # codes
    basis: str = ""
    consent_given_on: datetime.date | None = None
    consent_scope: str = ""
    legal_ground: str = ""
    referred_on: datetime.date | None = None
    other_need_assessed: bool = False
    other_af_no_measure: bool = False
    other_assistance_decision: bool = False
    home_district_id: int | None = None  # when given it must be the worker's own district
    unit_id: int | None = None  # another (specialised) unit than the service area's
    unit_reason: str = ""
    appointment_at: datetime.datetime | None = None
    appointment_place: str = ""
    appointment_coach_id: int | None = None


def may_refer(user: User) -> bool:
    return holds(user, "referrals.refer") and user.district_id is not None


def _add(errors: rules.Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _merge(errors: rules.Errors, more: rules.Errors) -> None:
    for name, messages in more.items():
        errors.setdefault(name, []).extend(messages)


@dataclass
class _Checked:
    number: str
    person: Person | None
    district: District
    groups: list[TargetGroup]
    derived_unit: JobbtorgUnit
    unit: JobbtorgUnit


def _check_content(
    errors: rules.Errors, data: ReferralInput, groups_by_code: dict[str, TargetGroup], today: datetime.date
) -> list[TargetGroup]:
    """Target groups, basis and consent: the same rules for one referral and for a file's rows.
    Returns the referral's target groups (the known ones, in the order given)."""
    codes = [c.strip().lower() for c in data.target_groups if c and c.strip()]
    groups = [groups_by_code[c] for c in dict.fromkeys(codes) if c in groups_by_code]
    unknown = sorted(set(codes) - set(groups_by_code))
    for code in unknown:
        _add(errors, "target_groups", _("Okänd målgrupp: %(code)s.") % {"code": code})
    if not unknown:
        _merge(
            errors,
            rules.validate_target_groups(
                groups,
                need_assessed=data.other_need_assessed,
                af_no_measure=data.other_af_no_measure,
                assistance_decision=data.other_assistance_decision,
                has_consent=rules.has_consent(data.consent_given_on, data.consent_scope),
            ),
        )
    if not data.basis.strip():
        _add(errors, "basis", _("Beskriv grunden för anvisningen."))
    _merge(
        errors,
        rules.validate_consent(data.consent_given_on, data.consent_scope, data.legal_ground, data.referred_on, today),
    )
    return groups


def check_referral(user: User, actor: Actor, data: ReferralInput, *, with_appointment: bool, today: datetime.date) -> _Checked:
    """Every rule of a referral, all errors at once; nothing is written."""
    errors: rules.Errors = {}
    assert user.district_id is not None  # the caller checked may_refer
    district = District.objects.get(pk=user.district_id)
    if data.home_district_id is not None and data.home_district_id != district.pk:
        if not District.objects.filter(pk=data.home_district_id).exists():
            _add(errors, "home_district", _("Stadsdelen finns inte – välj en i listan."))
        else:
            _add(
                errors,
                "home_district",
                _("Du kan bara anvisa personer som är skrivna i din stadsdel (%(district)s).") % {"district": district.name},
            )
    _merge(errors, rules.validate_referred_on(data.referred_on, today))

    number = ""
    person = None
    try:
        number = personnummer.normalise(data.personnummer or "", today=today)
    except ValidationError as exc:
        errors.setdefault("personnummer", []).extend(exc.messages)
    if number:
        person = Person.objects.select_related("home_district").filter(personnummer=number).first()
        if person is not None:
            if person.home_district_id != district.pk or not check_person(user, person).allowed:
                # Logged like any refused look-up; the message does not say where the person lives.
                record(
                    actor, Action.SEARCH, f"{WHAT_CREATE}: personnummer", person.pk, allowed=False, protected=person.is_protected
                )
                _add(errors, "personnummer", _("Personen är inte skriven i din stadsdel och kan inte anvisas härifrån."))
                person = None
                number = ""
            else:
                current = Participation.objects.filter(person=person, status__in=OPEN_STATUSES).select_related("unit").first()
                if current is not None:
                    _add(errors, "personnummer", participations.open_exists_message(current))
        elif not (data.first_name.strip() and data.last_name.strip()):
            if not data.first_name.strip():
                _add(errors, "first_name", _("Personen finns inte i registret. Ange förnamn så registreras personen."))
            if not data.last_name.strip():
                _add(errors, "last_name", _("Personen finns inte i registret. Ange efternamn så registreras personen."))

    codes = {c.strip().lower() for c in data.target_groups if c and c.strip()}
    active = {g.code: g for g in TargetGroup.objects.filter(code__in=codes, active=True)}
    groups = _check_content(errors, data, active, today)

    derived = unit = None
    if data.referred_on is not None and "referred_on" not in errors:
        if not _district_valid_on(district, data.referred_on):
            _add(errors, "referred_on", _("Stadsdelen %(district)s fanns inte det datumet.") % {"district": district.name})
        else:
            try:
                derived = unit_for_district(district, data.referred_on)
            except DomainError:
                _add(
                    errors,
                    "referred_on",
                    _("Stadsdelen %(district)s har inget jobbtorg den %(date)s. Kontakta systemförvaltaren.")
                    % {"district": district.name, "date": data.referred_on.isoformat()},
                )
    if derived is not None:
        unit = derived
        if data.unit_id is not None and data.unit_id != derived.pk:
            unit = JobbtorgUnit.objects.filter(pk=data.unit_id).first()
            if unit is None or not _unit_valid_on(unit, data.referred_on):
                _add(errors, "unit", _("Jobbtorget finns inte – välj ett i listan."))
                unit = None
            else:
                _merge(errors, rules.validate_unit_choice(derived.pk, unit.pk, data.unit_reason))
    if with_appointment and unit is not None:
        _merge(
            errors,
            participations.appointment_errors(
                unit.pk, data.referred_on, data.appointment_at, data.appointment_place, data.appointment_coach_id
            ),
        )
    if errors or derived is None or unit is None:
        raise DomainError(errors or {"non_field_errors": [_("Anvisningen kunde inte sparas.")]})
    return _Checked(number=number, person=person, district=district, groups=groups, derived_unit=derived, unit=unit)


def _district_valid_on(district: District, day: datetime.date) -> bool:
    return district.valid_from <= day and (district.valid_to is None or day <= district.valid_to)


def _unit_valid_on(unit: JobbtorgUnit, day: datetime.date | None) -> bool:
    return day is None or (unit.valid_from <= day and (unit.valid_to is None or day <= unit.valid_to))


def create_referral(
    user: User,
    actor: Actor,
    data: ReferralInput,
    *,
    source: str = Referral.Source.FORM,
    import_batch: ReferralImport | None = None,
) -> Referral:
    """Refer a person to the Jobbtorg. Raises PermissionDenied (not a social worker, audited),
    DomainError with field errors (nothing saved)."""
    if not may_refer(user):
        record(actor, Action.CREATE, WHAT_CREATE, None, allowed=False)
        raise PermissionDenied(_("Bara socialsekreterare i hemstadsdelen kan anvisa till jobbtorget."))
    today = timezone.localdate()
    with_appointment = source != Referral.Source.CSV
    checked = check_referral(user, actor, data, with_appointment=with_appointment, today=today)
    referred_on: datetime.date = data.referred_on  # type: ignore[assignment]  # checked: not None
    with transaction.atomic():
        person = checked.person
        if person is None:
            try:
                person = people.create_person(
                    user,
                    actor,
                    {
                        "personnummer": checked.number,
                        "first_name": data.first_name,
                        "last_name": data.last_name,
                        "home_district": checked.district,
                    },
                    what=f"{WHAT_CREATE}: ny person",
                )
            except AccessDenied as exc:
                raise PermissionDenied(_("Du får inte registrera personer i den stadsdelen.")) from exc
        participation = participations.open_participation(
            person=person,
            unit=checked.unit,
            home_district=checked.district,
            referred_on=referred_on,
            coach=None,
        )
        referral = Referral.objects.create(
            participation=participation,
            district=checked.district,
            referred_by=user,
            referred_on=referred_on,
            basis=data.basis.strip(),
            consent_given_on=data.consent_given_on,
            consent_scope=data.consent_scope.strip(),
            legal_ground=data.legal_ground.strip(),
            other_need_assessed=data.other_need_assessed,
            other_af_no_measure=data.other_af_no_measure,
            other_assistance_decision=data.other_assistance_decision,
            derived_unit=checked.derived_unit,
            unit_reason=data.unit_reason.strip() if checked.unit != checked.derived_unit else "",
            source=source,
            import_batch=import_batch,
        )
        referral.target_groups.set(checked.groups)
        group_names = ", ".join(g.name for g in checked.groups)
        timeline.append(
            kind="referral_received",
            occurred_on=referred_on,
            author=user,
            participation=participation,
            text=_("Anvisad av %(district)s till %(unit)s. Målgrupper: %(groups)s.")
            % {"district": checked.district.name, "unit": checked.unit.name, "groups": group_names},
            data={"referral": referral.pk, "source": source, "groups": [g.code for g in checked.groups]},
        )
        if with_appointment:
            appointment = participations.book_appointment(
                participation,
                user=user,
                starts_at=data.appointment_at,  # type: ignore[arg-type]
                place=data.appointment_place,
                coach_id=data.appointment_coach_id,
            )
            # The booked coach is the provisional coach until the unit manager assigns one.
            participations.set_provisional_coach(user, actor, participation, appointment.coach)
        else:
            # No appointment in the file: the unit books one, within the rule's time.
            deadlines.open_deadline(participation, Kind.FIRST_APPOINTMENT, referred_on)
        if any(g.is_job_guarantee for g in checked.groups):
            deadlines.open_deadline(participation, Kind.JOB_GUARANTEE_OFFER, referred_on)
        record(actor, Action.CREATE, WHAT_CREATE, person.pk, protected=person.is_protected)
    return referral


# --- returned referrals ---------------------------------------------------------------------------


def _load_referral(referral_id: int) -> Referral | None:
    return (
        Referral.objects.select_related("participation__person", "participation__unit", "district").filter(pk=referral_id).first()
    )


def return_referral(user: User, actor: Actor, referral_id: int, *, reason: str) -> Referral:
    """The Jobbtorg sends a referral back to the district for completion (UX: "referrals returned")."""
    what = "anvisning: återsändning"
    referral = _load_referral(referral_id)
    p = participations.authorise(user, actor, referral.participation if referral else None, "return_referral", what)
    if referral is None:  # unreachable: authorise refused
        raise AccessDenied()
    errors: rules.Errors = {}
    if participation_rules.step_error(p.status, participation_rules.Action.RETURN_REFERRAL):  # the state table
        _add(errors, "non_field_errors", _("Bara en anvisning där personen ännu inte kommit kan återsändas."))
    if referral.state == Referral.State.RETURNED:
        _add(errors, "non_field_errors", _("Anvisningen är redan återsänd."))
    if not reason.strip():
        _add(errors, "reason", _("Skriv vad stadsdelen behöver komplettera."))
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        updated = Referral.objects.filter(pk=referral.pk, state=Referral.State.SUBMITTED).update(
            state=Referral.State.RETURNED, returned_on=timezone.localdate(), return_reason=reason.strip(), returned_by=user
        )
        if updated != 1:
            raise DomainError({"non_field_errors": [_("Anvisningen är redan återsänd.")]})
        referral.refresh_from_db()
        timeline.append(
            kind="referral_returned",
            author=user,
            participation=p,
            text=_("Anvisningen återsänd till stadsdelen: %(reason)s") % {"reason": reason.strip()},
        )
        record(actor, Action.CHANGE, what, p.person_id, protected=p.person.is_protected)
    return referral


def withdraw_referral(
    user: User, actor: Actor, referral_id: int, *, reason: str, today: datetime.date | None = None
) -> Referral:
    """The district takes its referral back before the person has been enrolled (the participation's
    state table: referred → closed by `withdraw_referral`, a social worker of the home district). The
    participation ends as "Anvisningen återkallad": its clocks stop, no follow-ups start."""
    what = "anvisning: återkallelse"
    today = today or timezone.localdate()
    referral = _load_referral(referral_id)
    capability = participation_rules.capability(participation_rules.Action.WITHDRAW_REFERRAL)
    p = participations.authorise(user, actor, referral.participation if referral else None, capability, what)
    if referral is None:  # unreachable: authorise refused
        raise AccessDenied()
    errors: rules.Errors = {}
    refused = participation_rules.step_error(p.status, participation_rules.Action.WITHDRAW_REFERRAL)
    if refused or referral.state == Referral.State.WITHDRAWN:
        _add(errors, "non_field_errors", refused or _("Anvisningen är redan återkallad."))
    reason = reason.strip()
    if not reason:
        _add(errors, "reason", _("Skriv varför anvisningen återkallas."))
    elif len(reason) > WITHDRAWAL_REASON_MAX:
        _add(errors, "reason", _("Texten är för lång – högst %(max)d tecken.") % {"max": WITHDRAWAL_REASON_MAX})
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        updated = Referral.objects.filter(pk=referral.pk).exclude(state=Referral.State.WITHDRAWN).update(
            state=Referral.State.WITHDRAWN, withdrawn_on=today, withdrawal_reason=reason, withdrawn_by=user,
            updated_at=timezone.now(),
        )
        if updated != 1:
            raise DomainError({"non_field_errors": [_("Anvisningen är redan återkallad.")]})
        participations.end_withdrawn_referral(user, p, on=today, reason=reason)
        referral.refresh_from_db()
        timeline.append(
            kind=EventKind.REFERRAL_WITHDRAWN,
            author=user,
            participation=p,
            occurred_on=today,
            text=_("Stadsdelen har återkallat anvisningen: %(reason)s") % {"reason": reason},
        )
        record(actor, Action.CHANGE, what, p.person_id, protected=p.person.is_protected)
    return referral


WITHDRAWAL_REASON_MAX = 2000


def _corrections(
    referral: Referral, first_name: str | None, last_name: str | None, target_group_codes: Sequence[str] | None
) -> tuple[dict[str, str], list[TargetGroup] | None, rules.Errors]:
    """What the district corrects in a returned referral: the person's name and the target groups
    (None: unchanged). Returns the changed name fields, the new groups and the errors."""
    errors: rules.Errors = {}
    person = referral.participation.person
    names: dict[str, str] = {}
    for name, value in (("first_name", first_name), ("last_name", last_name)):
        if value is None:
            continue
        if not value.strip():
            _add(errors, name, _("Ange förnamn.") if name == "first_name" else _("Ange efternamn."))
        elif value.strip() != getattr(person, name):
            names[name] = value.strip()
    groups = None
    if target_group_codes is not None:
        groups = list(TargetGroup.objects.filter(code__in=target_group_codes, active=True))
        if len(groups) != len(set(target_group_codes)):
            _add(errors, "target_groups", _("Välj målgrupper i listan."))
    return names, groups, errors


def resubmit_referral(
    user: User,
    actor: Actor,
    referral_id: int,
    *,
    basis: str,
    consent_given_on: datetime.date | None,
    consent_scope: str,
    legal_ground: str,
    comment: str = "",
    first_name: str | None = None,
    last_name: str | None = None,
    target_groups: Sequence[str] | None = None,
) -> Referral:
    """The district completes a returned referral and sends it again; it may correct the person's
    name and the target groups first (None leaves them as they are)."""
    what = "anvisning: komplettering"
    referral = _load_referral(referral_id)
    if referral is None or not may_refer(user) or referral.district_id != user.district_id:
        record(actor, Action.CHANGE, what, referral.participation.person_id if referral else None, allowed=False)
        raise AccessDenied()
    p = referral.participation
    if not check_person(user, p.person).allowed:
        record(actor, Action.CHANGE, what, p.person_id, allowed=False, protected=p.person.is_protected)
        raise AccessDenied()
    errors: rules.Errors = {}
    if referral.state != Referral.State.RETURNED:
        _add(errors, "non_field_errors", _("Anvisningen är inte återsänd och behöver ingen komplettering."))
    if not basis.strip():
        _add(errors, "basis", _("Beskriv grunden för anvisningen."))
    _merge(
        errors, rules.validate_consent(consent_given_on, consent_scope, legal_ground, referral.referred_on, timezone.localdate())
    )
    names, corrected_groups, correction_errors = _corrections(referral, first_name, last_name, target_groups)
    _merge(errors, correction_errors)
    groups = corrected_groups if corrected_groups is not None else list(referral.target_groups.all())
    groups_changed = corrected_groups is not None and {g.pk for g in groups} != set(
        referral.target_groups.values_list("pk", flat=True)
    )
    _merge(
        errors,
        rules.validate_target_groups(
            groups,
            need_assessed=referral.other_need_assessed,
            af_no_measure=referral.other_af_no_measure,
            assistance_decision=referral.other_assistance_decision,
            has_consent=rules.has_consent(consent_given_on, consent_scope),
        ),
    )
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(
            state=Referral.State.SUBMITTED,
            basis=basis.strip(),
            consent_given_on=consent_given_on,
            consent_scope=consent_scope.strip(),
            legal_ground=legal_ground.strip(),
            updated_at=timezone.now(),
        )
        corrected = []
        if names:
            # The person's own write path: versioned save, audit entry naming the changed fields.
            people.update_person(user, actor, p.person, names, p.person.version, what=f"{what} · {_('namn')}")
            corrected.append(_("namn"))
        if groups_changed:
            referral.target_groups.set(groups)
            corrected.append(_("målgrupper"))
        referral.refresh_from_db()
        text = _("Stadsdelen har kompletterat anvisningen.")
        if corrected:
            text += " " + _("Rättat: %(what)s.") % {"what": ", ".join(corrected)}
        timeline.append(
            kind="referral_resubmitted",
            author=user,
            participation=p,
            text=text + (f" {comment.strip()}" if comment.strip() else ""),
            data={"corrected": sorted(names) + (["target_groups"] if groups_changed else [])},
        )
        record(actor, Action.CHANGE, what, p.person_id, protected=p.person.is_protected)
    return referral


# --- many referrals at once (the CSV import) -------------------------------------------------------
#
# The same rules as `check_referral` / `create_referral`, for thousands of file rows: the facts a
# rule needs (existing persons, access, open and earlier participations, target groups, the
# service area per date) are read in bulk per chunk, and the writes (person, participation,
# referral, target groups, timeline, deadlines, audit) are bulk inserts in one transaction, so the
# number of queries does not grow with each row. Only file rows: no appointment, no other unit.

BATCH_CHUNK = 2000  # rows whose facts are read with one query per kind (bounded IN lists)


@dataclass
class BatchRow:
    """One checked row, ready to save."""

    row: int
    data: ReferralInput
    referred_on: datetime.date
    person: Person | None  # an existing person, else `person_values` registers one
    person_values: dict[str, object]
    groups: list[TargetGroup]
    unit: JobbtorgUnit
    previous_id: int | None


def check_referrals_batch(
    user: User,
    actor: Actor,
    rows: Sequence[tuple[int, ReferralInput]],
    *,
    today: datetime.date,
    progress: Callable[[int], object] | None = None,
) -> tuple[list[BatchRow], dict[int, rules.Errors]]:
    """Every rule of every row, nothing written but the audit of refused look-ups.

    Returns the rows ready to save and the field errors per row number. `progress` is
    called with the number of rows checked after each chunk.
    """
    assert user.district_id is not None  # the caller checked may_refer
    district = District.objects.get(pk=user.district_id)
    may_register = people.may_create(user, district)
    groups_by_code = {g.code: g for g in TargetGroup.objects.filter(active=True)}
    units: dict[datetime.date, JobbtorgUnit | None] = {}
    ready: list[BatchRow] = []
    failed: dict[int, rules.Errors] = {}
    seen: dict[str, int] = {}
    done = 0
    for start in range(0, len(rows), BATCH_CHUNK):
        chunk = rows[start : start + BATCH_CHUNK]
        numbers: dict[int, str] = {}
        errors_of: dict[int, rules.Errors] = {}
        for row, data in chunk:
            errors = errors_of.setdefault(row, {})
            if data.home_district_id is not None or data.unit_id is not None or data.appointment_at is not None:
                raise ValueError("check_referrals_batch takes file rows: no district, unit or appointment")
            try:
                number = personnummer.normalise(data.personnummer or "", today=today)
            except ValidationError as exc:
                errors.setdefault("personnummer", []).extend(exc.messages)
                continue
            if number in seen:
                _add(errors, "personnummer", _("personnumret finns redan på rad %(row)d") % {"row": seen[number]})
                continue
            seen[number] = row
            numbers[row] = number
        persons = {
            p.personnummer: p
            for p in Person.objects.select_related("home_district").filter(personnummer__in=set(numbers.values()))
        }
        person_ids = [p.pk for p in persons.values()]
        allowed = set(visible_persons(user, today).filter(pk__in=person_ids).values_list("pk", flat=True)) if persons else set()
        open_now: dict[int, Participation] = {}
        previous: dict[int, int] = {}
        if persons:
            for p in Participation.objects.filter(person_id__in=person_ids, status__in=OPEN_STATUSES).select_related("unit"):
                open_now[p.person_id] = p
            closed = Participation.objects.filter(person_id__in=person_ids, status=Status.CLOSED).order_by(
                "person_id", "-closed_on", "-id"
            )
            for person_id, pk in closed.values_list("person_id", "pk"):
                previous.setdefault(person_id, pk)
        for row, data in chunk:
            errors = errors_of[row]
            number = numbers.get(row, "")
            person = persons.get(number) if number else None
            person_values: dict[str, object] = {}
            _merge(errors, rules.validate_referred_on(data.referred_on, today))
            if person is not None:
                if person.home_district_id != district.pk or person.pk not in allowed:
                    # Logged like any refused look-up; the message does not say where the person lives.
                    what = f"{WHAT_CREATE}: personnummer"
                    record(actor, Action.SEARCH, what, person.pk, allowed=False, protected=person.is_protected)
                    _add(errors, "personnummer", _("Personen är inte skriven i din stadsdel och kan inte anvisas härifrån."))
                    person = None
                elif person.pk in open_now:
                    _add(errors, "personnummer", participations.open_exists_message(open_now[person.pk]))
            elif number:
                if not (data.first_name.strip() and data.last_name.strip()):
                    if not data.first_name.strip():
                        _add(errors, "first_name", _("Personen finns inte i registret. Ange förnamn så registreras personen."))
                    if not data.last_name.strip():
                        _add(errors, "last_name", _("Personen finns inte i registret. Ange efternamn så registreras personen."))
                elif not may_register:
                    _add(errors, "personnummer", _("Du får inte registrera personer i den stadsdelen."))
                else:
                    # The person registry's own field rules (people.services), as create_person applies them.
                    values, person_errors = people._clean(
                        {"personnummer": number, "first_name": data.first_name, "last_name": data.last_name,
                         "home_district": district},
                        today,
                        required=True,
                    )  # fmt: skip
                    for name, field_errors in person_errors.items():
                        errors.setdefault(name, []).extend(m for e in field_errors for m in e.messages)
                    person_values = values

            groups = _check_content(errors, data, groups_by_code, today)
            unit = None
            if data.referred_on is not None and "referred_on" not in errors:
                if not _district_valid_on(district, data.referred_on):
                    message = _("Stadsdelen %(district)s fanns inte det datumet.") % {"district": district.name}
                    _add(errors, "referred_on", message)
                else:
                    if data.referred_on not in units:
                        try:
                            units[data.referred_on] = unit_for_district(district, data.referred_on)
                        except DomainError:
                            units[data.referred_on] = None
                    unit = units[data.referred_on]
                    if unit is None:
                        _add(
                            errors,
                            "referred_on",
                            _("Stadsdelen %(district)s har inget jobbtorg den %(date)s. Kontakta systemförvaltaren.")
                            % {"district": district.name, "date": data.referred_on.isoformat()},
                        )
            if errors or unit is None or data.referred_on is None:
                failed[row] = errors or {"non_field_errors": [_("Anvisningen kunde inte sparas.")]}
                continue
            ready.append(
                BatchRow(
                    row=row,
                    data=data,
                    referred_on=data.referred_on,
                    person=person,
                    person_values=person_values,
                    groups=groups,
                    unit=unit,
                    previous_id=previous.get(person.pk) if person is not None else None,
                )
            )
        done += len(chunk)
        if progress is not None:
            progress(done)
    return ready, failed


def save_referrals_batch(
    user: User,
    actor: Actor,
    rows: Sequence[BatchRow],
    *,
    source: str = Referral.Source.CSV,
    import_batch: ReferralImport | None = None,
) -> list[int]:
    """Write checked rows as `create_referral` would, in bulk and in one transaction; the referral ids.

    The unique indexes (one person per personnummer, one open participation per person)
    still decide a race with another writer: the IntegrityError rolls every row back.
    """
    if not may_refer(user):
        record(actor, Action.CREATE, WHAT_CREATE, None, allowed=False)
        raise PermissionDenied(_("Bara socialsekreterare i hemstadsdelen kan anvisa till jobbtorget."))
    assert user.district_id is not None
    district = District.objects.get(pk=user.district_id)
    author_name = user.get_full_name() or user.get_username()
    with transaction.atomic():
        new_rows = [row for row in rows if row.person is None]
        new_ids = bulk.insert(
            Person,
            [{"personnummer": r.person_values["personnummer"], "first_name": r.person_values["first_name"],
              "last_name": r.person_values["last_name"], "home_district_id": district.pk} for r in new_rows],
        )  # fmt: skip
        # Registered without a protection level: the file has none (people.create_person alike).
        record_many(actor, Action.CREATE, f"{WHAT_CREATE}: ny person", [(pk, False) for pk in new_ids])
        created = iter(new_ids)
        person_ids = [row.person.pk if row.person is not None else next(created) for row in rows]
        protected = [row.person is not None and row.person.is_protected for row in rows]

        part_ids = bulk.insert(
            Participation,
            [{"person_id": person_id, "unit_id": row.unit.pk, "home_district_id": district.pk, "referred_on": row.referred_on,
              "previous_id": row.previous_id, "status": Status.REFERRED}
             for row, person_id in zip(rows, person_ids, strict=True)],
        )  # fmt: skip
        batch_id = import_batch.pk if import_batch is not None else None
        referral_ids = bulk.insert(
            Referral,
            [
                {
                    "participation_id": part_id,
                    "district_id": district.pk,
                    "referred_by_id": user.pk,
                    "referred_on": row.referred_on,
                    "basis": row.data.basis.strip(),
                    "consent_given_on": row.data.consent_given_on,
                    "consent_scope": row.data.consent_scope.strip(),
                    "legal_ground": row.data.legal_ground.strip(),
                    "other_need_assessed": row.data.other_need_assessed,
                    "other_af_no_measure": row.data.other_af_no_measure,
                    "other_assistance_decision": row.data.other_assistance_decision,
                    "derived_unit_id": row.unit.pk,
                    "source": source,
                    "import_batch_id": batch_id,
                }
                for row, part_id in zip(rows, part_ids, strict=True)
            ],
        )
        through = Referral.target_groups.through
        bulk.insert(
            through,
            [{"referral_id": r, "targetgroup_id": g.pk} for r, row in zip(referral_ids, rows, strict=True) for g in row.groups],
            returning=False,
        )
        texts: dict[tuple[int, tuple[int, ...]], str] = {}
        entries: list[dict[str, object]] = []
        deadline_rows: list[dict[str, object]] = []
        due_dates: dict[tuple[Kind, datetime.date], datetime.date] = {}  # most rows share a referral date
        for row, person_id, part_id, referral_id in zip(rows, person_ids, part_ids, referral_ids, strict=True):
            key = (row.unit.pk, tuple(g.pk for g in row.groups))
            if key not in texts:
                texts[key] = _("Anvisad av %(district)s till %(unit)s. Målgrupper: %(groups)s.") % {
                    "district": district.name, "unit": row.unit.name, "groups": ", ".join(g.name for g in row.groups)
                }  # fmt: skip
            entries.append(
                {"person_id": person_id, "participation_id": part_id, "kind": "referral_received", "occurred_on": row.referred_on,
                 "author_id": user.pk, "author_name": author_name, "author_role": user.role, "text": texts[key],
                 "data": {"referral": referral_id, "source": source, "groups": [g.code for g in row.groups]}}
            )  # fmt: skip
            # No appointment in the file: the unit books one, within the rule's time (deadlines.open_deadline
            # for a new participation: no earlier clock, nothing paused).
            kinds = [Kind.FIRST_APPOINTMENT]
            if any(g.is_job_guarantee for g in row.groups):
                kinds.append(Kind.JOB_GUARANTEE_OFFER)
            for kind in kinds:
                responsible = deadline_rules.RULES[kind].responsible
                if (kind, row.referred_on) not in due_dates:
                    due_dates[kind, row.referred_on] = deadline_rules.due_date(kind, row.referred_on)
                deadline_rows.append(
                    {"participation_id": part_id, "kind": kind.value, "due_date": due_dates[kind, row.referred_on],
                     "responsible": responsible, "district_id": district.pk if responsible == "district" else None}
                )  # fmt: skip
        bulk.insert(TimelineEntry, entries, returning=False)
        bulk.insert(Deadline, deadline_rows, returning=False)
        record_many(actor, Action.CREATE, WHAT_CREATE, list(zip(person_ids, protected, strict=True)))
    return referral_ids
