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
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.access.policy import check_person
from jobbtorg.accounts.models import Role, User
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core import personnummer
from jobbtorg.core.errors import AccessDenied, DomainError
from jobbtorg.deadlines import services as deadlines
from jobbtorg.deadlines.rules import Kind
from jobbtorg.organisation.models import District, JobbtorgUnit
from jobbtorg.organisation.selectors import unit_for_district
from jobbtorg.participations import services as participations
from jobbtorg.participations.models import OPEN_STATUSES, Participation
from jobbtorg.people import services as people
from jobbtorg.people.models import Person
from jobbtorg.referrals import rules
from jobbtorg.referrals.models import Referral, ReferralImport, TargetGroup
from jobbtorg.timeline import services as timeline

WHAT_CREATE = "anvisning"


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
    return user.is_active and user.role == Role.SOCIAL_WORKER and user.district_id is not None


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

    codes = [c.strip().lower() for c in data.target_groups if c and c.strip()]
    groups = list(TargetGroup.objects.filter(code__in=codes, active=True))
    unknown = sorted(set(codes) - {g.code for g in groups})
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
            Participation.objects.filter(pk=participation.pk).update(coach=appointment.coach)
            participation.coach = appointment.coach
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
    if p.status != "referred":
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
) -> Referral:
    """The district completes a returned referral and sends it again."""
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
    groups = list(referral.target_groups.all())
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
        referral.refresh_from_db()
        timeline.append(
            kind="referral_resubmitted",
            author=user,
            participation=p,
            text=_("Stadsdelen har kompletterat anvisningen.") + (f" {comment.strip()}" if comment.strip() else ""),
        )
        record(actor, Action.CHANGE, what, p.person_id, protected=p.person.is_protected)
    return referral
