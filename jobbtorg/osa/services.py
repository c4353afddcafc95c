"""The one write path for OSA cases (DOMAIN §10): create, extend, review, plan, meet, transfer, places.

Each service opens the case through `open_case` (OSA relation + audit entry, allowed or
refused), validates with `osa.rules`, saves inside one transaction, refreshes the stored
follow-up deadlines and appends a timeline entry for significant events. Timeline texts
carry no eligibility grounds or other health data: the timeline is read more widely.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.access.services import open_person
from jobbtorg.accounts.models import User
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core import state_machine
from jobbtorg.core.capabilities import holds, may
from jobbtorg.core.errors import AccessDenied, DomainError
from jobbtorg.core.locking import save_versioned
from jobbtorg.deadlines import services as deadlines
from jobbtorg.deadlines.rules import OSA_KINDS, Kind
from jobbtorg.organisation.models import AFUnit, District, Employer
from jobbtorg.osa import rules
from jobbtorg.osa.access import may_open
from jobbtorg.osa.models import (
    DATA_GROUP,
    AnnualPlaces,
    AssessmentOutcome,
    FollowUpMeeting,
    ImplementationPlan,
    IndividualReview,
    OsaCase,
    OsaPeriod,
    PlanItem,
    PlanVersion,
    ReviewOutcome,
    Transfer,
)
from jobbtorg.timeline import services as timeline


def _what(where: str) -> str:
    return f"{where} · {DATA_GROUP}"


def _fail(errors: dict[str, str]) -> None:
    if errors:
        raise DomainError({name: [message] for name, message in errors.items()})


def load(case_id: int) -> OsaCase | None:
    return (
        OsaCase.objects.select_related("person__home_district", "district", "next_district", "employer", "af_unit")
        .filter(pk=case_id)
        .first()
    )


def open_case(user: User, actor: Actor, case_id: int, where: str, action: str = Action.READ) -> OsaCase:
    """The case when `user` is the OSA officer responsible for it today; else AccessDenied (404). Logged."""
    case = load(case_id)
    if case is None:
        record(actor, action, _what(f"OSA {case_id}: {where}"), None, allowed=False)
        raise AccessDenied()
    allowed = may_open(user, case, timezone.localdate())
    record(actor, action, _what(f"OSA {case.pk}: {where}"), case.person_id, allowed=allowed, protected=case.person.is_protected)
    if not allowed:
        raise AccessDenied()
    return case


def _locked(case: OsaCase) -> OsaCase:
    return OsaCase.objects.select_for_update().get(pk=case.pk)


def _step(user: User, actor: Actor, case: OsaCase, action: rules.CaseAction, where: str) -> str:
    """The status after `action` (osa.rules.TRANSITIONS): refused for a role without the step's
    capability (logged) or from a status the table has no such step from (in Swedish)."""
    capability = state_machine.capability(rules.TRANSITIONS, action)
    if not holds(user, f"osa.{capability}"):
        record(actor, Action.CHANGE, _what(f"OSA {case.pk}: {where}"), case.person_id, allowed=False,
               protected=case.person.is_protected)  # fmt: skip
        raise PermissionDenied(_("Du har inte behörighet att göra det här för OSA-anställningen."))
    return rules.next_status(case.status, action)


def allowed_actions(user: User, case: OsaCase) -> list[str]:
    """The steps the case page offers this user (the services accept no others)."""
    return rules.allowed_actions(case.status, lambda capability: holds(user, f"osa.{capability}"))


def total_months(case: OsaCase) -> int:
    return case.periods.aggregate(total=Sum("months"))["total"] or 0


# --- create -------------------------------------------------------------------------------------


def create_case(
    user: User,
    actor: Actor,
    person_id: int,
    *,
    employer_id: int | None,
    workplace: str,
    grounds: Iterable[str],
    assessed_on: datetime.date | None,
    assessed_by_district: str,
    assessed_by_af: str,
    af_unit_id: int | None,
    assessment_outcome: str,
    assessment_note: str = "",
    start_date: datetime.date | None,
    months: int | None = rules.FIRST_PERIOD_MONTHS,
    length_reason: str = "",
) -> OsaCase:
    """A new OSA employment with its first period. Refused, with nothing saved, when a ground, the
    joint assessment or a city administration as employer is missing."""
    person, _decision = open_person(user, actor, person_id, _what("ny OSA-anställning"), Action.CREATE)
    if not may(user, "osa.manage", home_district_id=person.home_district_id):
        raise PermissionDenied(_("Bara OSA-handläggaren i personens hemstadsdel kan registrera en OSA-anställning."))
    today = timezone.localdate()
    grounds = set(grounds)
    errors: dict[str, str] = {}
    if not grounds & {g.value for g in rules.Ground}:
        errors["grounds"] = _("Ange minst en av de tre grunderna för OSA.")
    if assessed_on is None:
        errors["assessed_on"] = _("Ange datum för den gemensamma bedömningen med Arbetsförmedlingen.")
    elif assessed_on > today:
        errors["assessed_on"] = _("Bedömningens datum kan inte vara i framtiden.")
    if not assessed_by_district.strip():
        errors["assessed_by_district"] = _("Ange vem på stadsdelen som gjorde bedömningen.")
    if not assessed_by_af.strip():
        errors["assessed_by_af"] = _("Ange vem på Arbetsförmedlingen som gjorde bedömningen.")
    af_unit = AFUnit.objects.filter(pk=af_unit_id).first() if af_unit_id else None
    if af_unit is None:
        errors["af_unit"] = _("Välj Arbetsförmedlingens enhet.")
    if assessment_outcome not in AssessmentOutcome.values:
        errors["assessment_outcome"] = _("Ange bedömningens utfall.")
    elif assessment_outcome != AssessmentOutcome.IN_TARGET_GROUP:
        errors["assessment_outcome"] = _(
            "En OSA-anställning kräver att den gemensamma bedömningen kommit fram till att personen tillhör målgruppen."
        )
    employer = Employer.objects.filter(pk=employer_id).first() if employer_id else None
    if employer is None:
        errors["employer"] = _("Välj arbetsgivare.")
    else:
        message = rules.employer_error(employer.kind)
        if message:
            errors["employer"] = message
    if not workplace.strip():
        errors["workplace"] = _("Ange arbetsplatsen.")
    if start_date is None:
        errors["start_date"] = _("Ange anställningens startdatum.")
    elif assessed_on and start_date < assessed_on:
        errors["start_date"] = _("Anställningen kan inte börja före den gemensamma bedömningen.")
    errors.update(rules.first_period_errors(months, length_reason))
    _fail(errors)
    assert start_date is not None and months is not None and assessed_on is not None
    assert employer is not None and af_unit is not None
    with transaction.atomic():
        case = OsaCase.objects.create(
            person=person,
            district_id=person.home_district_id,
            employer=employer,
            workplace=workplace.strip(),
            ground_cognitive_or_addiction=rules.Ground.COGNITIVE_OR_ADDICTION in grounds,
            ground_lss=rules.Ground.LSS in grounds,
            ground_no_contact_or_mental_illness=rules.Ground.NO_CONTACT_OR_MENTAL_ILLNESS in grounds,
            assessed_on=assessed_on,
            assessed_by_district=assessed_by_district.strip(),
            assessed_by_af=assessed_by_af.strip(),
            af_unit=af_unit,
            assessment_outcome=assessment_outcome,
            assessment_note=assessment_note.strip(),
            created_by=user,
        )
        OsaPeriod.objects.create(
            case=case, number=1, kind=OsaPeriod.Kind.FIRST, start_date=start_date,
            end_date=rules.period_end(start_date, months), months=months, length_reason=length_reason.strip(),
            created_by=user,
        )  # fmt: skip
        ImplementationPlan.objects.create(case=case, version=0)
        refresh_deadlines(case)
        timeline.append(
            kind="osa_case_created", person=person, author=user, occurred_on=start_date,
            text=_("OSA-anställning hos %(employer)s från %(start)s (%(months)s månader).")
            % {"employer": employer, "start": start_date.isoformat(), "months": months},
        )  # fmt: skip
    return case


# --- periods and reviews ------------------------------------------------------------------------


def extend(user: User, actor: Actor, case_id: int, *, version: int | None, months: int | None) -> OsaPeriod:
    """Extend by exactly 6 or 12 months; past 24 months in total only with an unused individual review."""
    case = open_case(user, actor, case_id, "förlängning", Action.CHANGE)
    _step(user, actor, case, rules.CaseAction.EXTEND, "förlängning")
    with transaction.atomic():
        case = _locked(case)
        periods = list(case.periods.order_by("number"))
        total_before = sum(p.months for p in periods)
        review = case.reviews.filter(period__isnull=True, outcome=ReviewOutcome.APPROVED).order_by("reviewed_on", "id").first()
        decision = rules.extension(months, total_before, review is not None)
        _fail(decision.errors)
        assert months is not None
        save_versioned(case, version, [])
        last = periods[-1]
        start = last.end_date + datetime.timedelta(days=1)
        period = OsaPeriod.objects.create(
            case=case, number=last.number + 1, kind=OsaPeriod.Kind.EXTENSION, start_date=start,
            end_date=rules.period_end(start, months), months=months,
            review=review if decision.needs_review else None, created_by=user,
        )  # fmt: skip
        refresh_deadlines(case)
        timeline.append(
            kind="osa_extended", person=case.person, author=user,
            text=_("OSA-anställningen förlängd med %(months)s månader till %(end)s (sammanlagt %(total)s månader).")
            % {"months": months, "end": period.end_date.isoformat(), "total": decision.total_months},
        )  # fmt: skip
    return period


def record_review(
    user: User, actor: Actor, case_id: int, *, reviewed_on: datetime.date | None, outcome: str, reasoning: str
) -> IndividualReview:
    """The individual review as a decision: the deciding officer is `user` (the one responsible for the
    case, who records it), with its date and outcome (ReviewOutcome). Only an approving review lets an
    extension take the total past 24 months (`extend`)."""
    case = open_case(user, actor, case_id, "individuell prövning", Action.CREATE)
    _step(user, actor, case, rules.CaseAction.REVIEW, "individuell prövning")
    errors: dict[str, str] = {}
    if reviewed_on is None:
        errors["reviewed_on"] = _("Ange datum för beslutet.")
    elif reviewed_on > timezone.localdate():
        errors["reviewed_on"] = _("Beslutets datum kan inte vara i framtiden.")
    if outcome not in ReviewOutcome.values:
        errors["outcome"] = _("Välj beslutet: förlängning utöver 24 månader medges eller medges inte.")
    if len(reasoning.strip()) < 10:
        errors["reasoning"] = _("Skriv motiveringen till prövningen (minst 10 tecken).")
    _fail(errors)
    assert reviewed_on is not None
    with transaction.atomic():
        review = IndividualReview.objects.create(
            case=case, reviewed_on=reviewed_on, decided_by=user, outcome=outcome, reasoning=reasoning.strip(),
            recorded_by=user,
        )  # fmt: skip
        timeline.append(kind="osa_review_recorded", person=case.person, author=user, occurred_on=reviewed_on,
                        text=_("Individuell prövning av OSA-anställningens längd: %(outcome)s.")
                        % {"outcome": ReviewOutcome(outcome).label},
                        data={"review": review.pk, "outcome": outcome})  # fmt: skip
        record(actor, Action.CREATE, _what(f"OSA {case.pk}: individuell prövning beslutad ({outcome})"), case.person_id,
               protected=case.person.is_protected)  # fmt: skip
    return review


# --- implementation plan ------------------------------------------------------------------------


def save_plan(
    user: User, actor: Actor, case_id: int, *, version: int | None, items: list[dict[str, Any]], note: str = ""
) -> PlanVersion:
    """Save the implementation plan as a new version. `version` is the plan version the user read."""
    case = open_case(user, actor, case_id, "genomförandeplan", Action.CHANGE)
    _step(user, actor, case, rules.CaseAction.PLAN, "genomförandeplan")
    errors: dict[str, str] = {}
    clean: list[dict[str, Any]] = []
    employment = case.periods.aggregate(first=Min("start_date"), last=Max("end_date"))
    for index, item in enumerate(items):
        activity = item.get("activity") or ""
        if not activity and not item.get("responsible") and not item.get("planned_on"):
            continue  # an empty row of the form
        row = f"items.{index}"
        if activity not in rules.ACTIVITY_LABELS:
            errors[f"{row}.activity"] = _("Välj en insats ur någon av aktörernas meny.")
        if item.get("responsible") not in {a.value for a in rules.Actor}:
            errors[f"{row}.responsible"] = _("Välj vem som ansvarar för insatsen.")
        if not isinstance(item.get("planned_on"), datetime.date):
            errors[f"{row}.planned_on"] = _("Ange när insatsen ska genomföras (ÅÅÅÅ-MM-DD).")
        elif message := rules.planned_on_error(item["planned_on"], employment["first"], employment["last"]):
            errors[f"{row}.planned_on"] = message
        clean.append(item)
    if not clean and not errors:
        errors["items"] = _("Planen behöver minst en insats.")
    _fail(errors)
    with transaction.atomic():
        plan, _created = ImplementationPlan.objects.get_or_create(case=case, defaults={"version": 0})
        plan = ImplementationPlan.objects.select_for_update().get(pk=plan.pk)
        save_versioned(plan, version, [])
        saved = PlanVersion.objects.create(plan=plan, number=plan.version, saved_by=user, note=note.strip()[:300])
        PlanItem.objects.bulk_create([
            PlanItem(version=saved, activity=i["activity"], responsible=i["responsible"],
                     responsible_name=(i.get("responsible_name") or "").strip()[:150], planned_on=i["planned_on"],
                     note=(i.get("note") or "").strip()[:300])
            for i in clean
        ])  # fmt: skip
        timeline.append(kind="osa_plan_saved", person=case.person, author=user,
                        text=_("Genomförandeplanen för OSA sparad (version %(n)s).") % {"n": saved.number})  # fmt: skip
    return saved


# --- meetings and follow-up deadlines -----------------------------------------------------------

PARTIES = ("employee", "af", "district", "jobbtorg", "workplace")


def record_meeting(
    user: User, actor: Actor, case_id: int, *, held_on: datetime.date | None, parties: Iterable[str], notes: str = ""
) -> FollowUpMeeting:
    case = open_case(user, actor, case_id, "uppföljningsmöte", Action.CREATE)
    _step(user, actor, case, rules.CaseAction.MEETING, "uppföljningsmöte")
    parties = set(parties) & set(PARTIES)
    errors: dict[str, str] = {}
    if held_on is None:
        errors["held_on"] = _("Ange mötets datum.")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("Registrera mötet när det har hållits: datumet kan inte vara i framtiden.")
    if len(parties) < 2:
        errors["parties"] = _("Ange vilka som deltog (minst två parter).")
    _fail(errors)
    assert held_on is not None
    with transaction.atomic():
        meeting = FollowUpMeeting.objects.create(
            case=case, held_on=held_on, notes=notes.strip(), recorded_by=user, **{p: p in parties for p in PARTIES}
        )
        refresh_deadlines(case)
        timeline.append(kind="osa_meeting_recorded", person=case.person, author=user, occurred_on=held_on,
                        text=_("Uppföljningsmöte för OSA-anställningen registrerat."))  # fmt: skip
    return meeting


def set_transition(user: User, actor: Actor, case_id: int, *, version: int | None, planned: bool) -> OsaCase:
    """Mark that transition to other work is planned: opens the all-parties follow-up before the end."""
    case = open_case(user, actor, case_id, "övergång till annat arbete", Action.CHANGE)
    _step(user, actor, case, rules.CaseAction.TRANSITION, "övergång till annat arbete")
    with transaction.atomic():
        case.transition_planned = planned
        case.transition_planned_on = timezone.localdate() if planned else None
        save_versioned(case, version, ["transition_planned", "transition_planned_on"])
        refresh_deadlines(case)
    return case


def refresh_deadlines(case: OsaCase) -> None:
    """Recompute the follow-up deadlines from periods and meetings (osa.rules.follow_ups) and store
    them in the one deadline store, where the officer's list, badge and digest read them."""
    periods = [(p.start_date, p.end_date) for p in case.periods.order_by("number")]
    meetings = [rules.Meeting(m.held_on, m.parties) for m in case.meetings.all()]
    wanted = rules.follow_ups(periods, meetings, case.transition_planned)
    ended = not case.is_open  # an ended employment has no follow-up left to do (ADR 0014)
    deadlines.set_subject_deadlines(OSA_KINDS, [case.pk], [
        deadlines.Clock(Kind(f.kind), case.pk, f.due, done_on=f.done_on, cancelled=ended and f.done_on is None)
        for f in wanted
    ])  # fmt: skip


# --- transfer -------------------------------------------------------------------------------------


def decide_transfer(
    user: User,
    actor: Actor,
    case_id: int,
    *,
    version: int | None,
    to_district_id: int | None,
    handover_on: datetime.date | None,
    note: str = "",
) -> Transfer:
    """The responsible (old) district decides when the new district takes over (seed 000).

    Only the officer responsible today reaches the case, so the new district can not decide.
    """
    case = open_case(user, actor, case_id, "överflyttning", Action.CHANGE)
    _step(user, actor, case, rules.CaseAction.TRANSFER, "överflyttning")
    today = timezone.localdate()
    with transaction.atomic():
        case = _locked(case)
        if _hand_over(case, today) and version is not None:
            version += 1  # the earlier handover, due but not yet applied by the daily job, came first
        errors: dict[str, str] = {}
        to_district = District.objects.filter(pk=to_district_id).first() if to_district_id else None
        if case.next_district_id:
            errors["to_district"] = _("En överflyttning är redan beslutad. Den måste ha skett innan en ny kan beslutas.")
        elif to_district is None:
            errors["to_district"] = _("Välj den stadsdel som tar över.")
        elif to_district.pk == case.district_id:
            errors["to_district"] = _("Välj en annan stadsdel än den som är ansvarig nu.")
        if handover_on is None:
            errors["handover_on"] = _("Ange från vilket datum den nya stadsdelen tar över.")
        elif handover_on < today:
            errors["handover_on"] = _("Övertagandedatumet kan inte ligga bakåt i tiden.")
        elif message := rules.handover_error(handover_on, case.periods.aggregate(last=Max("end_date"))["last"]):
            errors["handover_on"] = message
        _fail(errors)
        assert to_district is not None and handover_on is not None
        from_district_id = case.district_id
        case.next_district_id = to_district.pk
        case.handover_on = handover_on
        save_versioned(case, version, ["district_id", "next_district_id", "handover_on"])
        case.version = (version if version is not None else case.version) + 1
        transfer = Transfer.objects.create(
            case=case, from_district_id=from_district_id, to_district=to_district, decided_on=today,
            handover_on=handover_on, decided_by=user, note=note.strip()[:300],
        )  # fmt: skip
        timeline.append(kind="osa_transfer_decided", person=case.person, author=user,
                        text=_("OSA-anställningen förs över till %(to)s från %(date)s.")
                        % {"to": to_district, "date": handover_on.isoformat()})  # fmt: skip
        _hand_over(case, today)  # a handover decided for today takes effect at once
    return transfer


def _hand_over(case: OsaCase, today: datetime.date) -> bool:
    """Apply a decided handover whose day has come: the new district becomes the district.
    For a locked case; True when it changed. Timeline and audit say who took over."""
    if not (case.next_district_id and case.handover_on and case.handover_on <= today):
        return False
    new_district = case.next_district_id
    case.district_id, case.next_district_id, case.handover_on = new_district, None, None
    save_versioned(case, None, ["district_id", "next_district_id", "handover_on"])
    case.version += 1
    district = District.objects.get(pk=new_district)
    timeline.append(kind="osa_handed_over", person=case.person, author=None, occurred_on=today,
                    text=_("%(district)s har tagit över OSA-anställningen.") % {"district": district})  # fmt: skip
    record(Actor.system("osa-overlamning"), Action.CHANGE, _what(f"OSA {case.pk}: överlämning"), case.person_id,
           protected=case.person.is_protected, details={"district": new_district})  # fmt: skip
    return True


def apply_due_handovers(today: datetime.date) -> int:
    """The daily job: every handover whose day has come is applied to the stored case (seed 000:
    the old district decided the day). Returns how many; a second run the same day finds none."""
    applied = 0
    for case_id in OsaCase.objects.filter(handover_on__lte=today).values_list("pk", flat=True):
        with transaction.atomic():
            case = OsaCase.objects.select_for_update().select_related("person").get(pk=case_id)
            applied += _hand_over(case, today)
    return applied


# --- ending ---------------------------------------------------------------------------------------


def end_case(
    user: User,
    actor: Actor,
    case_id: int,
    *,
    version: int | None,
    ended_on: datetime.date | None,
    reason: str,
    reason_text: str = "",
) -> OsaCase:
    """End the employment (osa.rules.TRANSITIONS: active → ended) with a reason and a date within it.
    Its open follow-ups are cancelled; the case stays readable to the responsible officer."""
    case = open_case(user, actor, case_id, "avslut", Action.CHANGE)
    _step(user, actor, case, rules.CaseAction.END, "avslut")
    employment = case.periods.aggregate(first=Min("start_date"), last=Max("end_date"))
    _fail(rules.end_errors(reason=reason, reason_text=reason_text, ended_on=ended_on, employment_start=employment["first"],
                           employment_end=employment["last"], today=timezone.localdate()))  # fmt: skip
    assert ended_on is not None
    with transaction.atomic():
        case = _locked(case)
        case.status, case.ended_on = rules.next_status(case.status, rules.CaseAction.END), ended_on
        case.end_reason, case.end_reason_text = reason, reason_text.strip()[:300]
        save_versioned(case, version, ["status", "ended_on", "end_reason", "end_reason_text"])
        refresh_deadlines(case)  # its open follow-ups are cancelled
        timeline.append(kind="osa_case_ended", person=case.person, author=user, occurred_on=ended_on,
                        text=_("OSA-anställningen avslutad %(date)s: %(reason)s.")
                        % {"date": ended_on.isoformat(), "reason": rules.END_REASON_LABELS[rules.EndReason(reason)]})  # fmt: skip
    return case


# --- annual places --------------------------------------------------------------------------------


def set_annual_places(
    user: User,
    *,
    district_id: int | None,
    year: int | None,
    planned: int | None,
    af_unit_id: int | None = None,
    version: int | None = None,
) -> AnnualPlaces:
    """The OSA officer enters the places agreed for their own district and a year."""
    if not holds(user, "osa.manage_places") or not user.district_id:
        raise PermissionDenied(_("Bara OSA-handläggare kan registrera årsplatser."))
    errors: dict[str, str] = {}
    if district_id != user.district_id:
        errors["district"] = _("Du kan bara registrera årsplatser för din egen stadsdel.")
    if year is None or not 2000 <= year <= 2100:
        errors["year"] = _("Ange ett år mellan 2000 och 2100.")
    if planned is None or planned < 0 or planned > 10000:
        errors["planned"] = _("Ange antalet planerade årsplatser (0 eller fler).")
    af_unit = AFUnit.objects.filter(pk=af_unit_id).first() if af_unit_id else None
    if af_unit_id and af_unit is None:
        errors["af_unit"] = _("Välj Arbetsförmedlingens enhet.")
    _fail(errors)
    assert district_id is not None and year is not None and planned is not None
    with transaction.atomic():
        row = AnnualPlaces.objects.select_for_update().filter(district_id=district_id, year=year).first()
        if row is None:
            return AnnualPlaces.objects.create(
                district_id=district_id, year=year, planned=planned, af_unit=af_unit, recorded_by=user
            )
        row.planned, row.af_unit, row.recorded_by = planned, af_unit, user
        save_versioned(row, version, ["planned", "af_unit", "recorded_by"])
    return row
