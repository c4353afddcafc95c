"""The one write path for subsidy cases, their steps, the qualification rules and the
eligibility facts (ARCHITECTURE: services). Views, the API, the admin and the demo
command call these functions; nothing else saves a subsidies model.

Each case function:
1. loads the case and checks the relation to the person (access.policy) and the role
   and unit (core.capabilities "subsidies.act"); a refusal is audited outside the transaction and raises
   AccessDenied (shown as 404) or PermissionDenied (403);
2. validates with subsidies.rules (DomainError with Swedish field errors, nothing saved);
3. in one transaction: bumps the case's version with a conditional UPDATE (the case is
   the aggregate root, so two users completing steps at once can not both win), saves,
   moves the steps' stored due dates, appends the timeline entry and the audit entry.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any, Self

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobbtorg.access import sections
from jobbtorg.access.policy import check_person
from jobbtorg.access.services import open_person
from jobbtorg.accounts.models import User
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core.errors import AccessDenied, DomainError
from jobbtorg.core.locking import save_versioned
from jobbtorg.core.types import StrOrPromise
from jobbtorg.deadlines import services as deadlines
from jobbtorg.deadlines.rules import Kind
from jobbtorg.eligibility import rules as eligibility_rules
from jobbtorg.eligibility import services as eligibility_services
from jobbtorg.organisation.models import Employer, EmployerContact
from jobbtorg.participations.models import OPEN_STATUSES, Participation
from jobbtorg.people.models import Person
from jobbtorg.subsidies import reports, rules, selectors
from jobbtorg.subsidies import steps as step_rules
from jobbtorg.subsidies.models import CaseStatus, Route, StepStatus, SubsidyCase, SubsidyStep, SubsidyType
from jobbtorg.subsidies.rules import CaseStep, StepAction
from jobbtorg.subsidies.steps import Decision6, Eligibility3, StepKind
from jobbtorg.timeline import services as timeline

CASE_FIELDS = [
    "notification_text",
    "preceded_by_practice",
    "supervisor_contact",
    "supervisor_name",
    "supervisor_phone",
    "supervisor_email",
    "planned_start",
]


# --- access ----------------------------------------------------------------------------------------


def load_case(case_id: int) -> SubsidyCase | None:
    return (
        SubsidyCase.objects.select_related(
            "participation__person", "participation__unit", "participation__coach", "employer", "supervisor_contact"
        )
        .filter(pk=case_id)
        .first()
    )


def _what(case_id: int | None, what: StrOrPromise) -> str:
    return f"stödärende {case_id or '-'}: {what}"


def _step_what(kind: str) -> str:
    """A step as the log names it, in words: "steg 3a (Samordnarfunktionen utreder …)", never the code "lb_3_eligibility"."""
    if kind not in step_rules.StepKind.__members__.values():
        return "okänt steg"
    rule = step_rules.STEP_RULES[StepKind(kind)]
    with translation.override("sv"):
        label = str(rule.label)
    return f"steg {rule.code} ({label})" if rule.code else label


def authorise(
    user: User,
    actor: Actor,
    participation: Participation | None,
    what: str,
    action: str = Action.CHANGE,
    capability: str = "edit_case",
) -> Participation:
    """Relation to the person and the `capability` on the unit's cases (rules.CAPABILITIES);
    refusals are logged."""
    if participation is None:
        record(actor, action, what, None, allowed=False)
        raise AccessDenied()
    person = participation.person
    if not check_person(user, person).allowed:
        record(actor, action, what, person.pk, allowed=False, protected=person.is_protected)
        raise AccessDenied()
    if not rules.may(capability, user.role, user.jobbtorg_unit_id, participation.unit_id):
        record(actor, action, what, person.pk, allowed=False, protected=person.is_protected)
        raise PermissionDenied(_("Du har inte behörighet att hantera stödärenden för deltagandet."))
    return participation


def _authorised_case(user: User, actor: Actor, case_id: int, what: str, capability: str) -> SubsidyCase:
    case = load_case(case_id)
    authorise(user, actor, case.participation if case else None, _what(case_id, what), capability=capability)
    assert case is not None
    return case


def open_case(user: User, actor: Actor, case_id: int, purpose: str = "sida", *, what: str | None = None) -> SubsidyCase:
    """A case to show, with the read audited. A case that does not exist, of a section the role
    does not see (access.sections) or of a person without relation raises AccessDenied (a 404),
    audited as refused. `what` overrides the audit text (the API names its request)."""
    what = what or _what(case_id, purpose)
    case = load_case(case_id)
    if case is None:
        record(actor, Action.READ, what, None, allowed=False)
        raise AccessDenied()
    person = case.participation.person
    sections.require_section(
        user, actor, sections.Section.SUBSIDIES, what, person.pk, protected=person.is_protected, context=case
    )
    open_person(user, actor, person.pk, what)
    return case


def require_section_for_change(user: User, actor: Actor, case_id: int, *, what: str | None = None) -> None:
    """A change to a case of a section the role does not see raises AccessDenied (a 404 like a read,
    audited as refused); the services' 403 for a role that may read but not act would tell that the
    case exists. A case that does not exist is left to the service (404, audited)."""
    case = load_case(case_id)
    if case is None:
        return
    person = case.participation.person
    sections.require_section(
        user, actor, sections.Section.SUBSIDIES, what or _what(case_id, "ändring"), person.pk,
        protected=person.is_protected, context=case, action=Action.CHANGE,
    )  # fmt: skip


def require_section_for_lists(user: User, actor: Actor, what: str, action: str = Action.LIST) -> None:
    """Roles that see no subsidy case at all get a 403 for the lists (audited as refused)."""
    if not sections.may_see_section(user, sections.Section.SUBSIDIES):
        sections.refuse(actor, sections.Section.SUBSIDIES, what, None, action=action)
        raise PermissionDenied(_("Ärenden om anställningsstöd visas för coacher, enhetschefer och OSA-handläggare."))


def export_cases(actor: Actor, year: int) -> bytes:
    """The year's cases per month, type and status as a workbook; the export is audited."""
    content = reports.cases_workbook(year, selectors.cases_by_month(year))
    record(actor, Action.EXPORT, f"rapport stödärenden {year} (xlsx)", None)
    return content


def export_overdue(actor: Actor, today: datetime.date) -> bytes:
    """The lönebidrag steps overdue today per unit as a workbook; the export is audited."""
    content = reports.overdue_workbook(selectors.board(today), today.isoformat())
    record(actor, Action.EXPORT, "rapport lönebidrag försenade steg (xlsx)", None)
    return content


def _audit(actor: Actor, case: SubsidyCase, what: StrOrPromise, action: str = Action.CHANGE) -> None:
    person = case.participation.person
    record(actor, action, _what(case.pk, what), person.pk, protected=person.is_protected)


def _raise(errors: rules.Errors) -> None:
    if errors:
        raise DomainError(errors)


def _lock(case: SubsidyCase, version: int | None, fields: Iterable[str] = ()) -> None:
    case.updated_at = timezone.now()
    save_versioned(case, version, [*fields, "updated_at"])


def route_for(person: Person) -> str:
    """Seed 000 §1: for people with a protected identity the application is handled by a local office."""
    return Route.LOCAL_OFFICE if person.is_protected else Route.DIGITAL


def _facts(case: SubsidyCase, **changes: Any) -> rules.CaseFacts:
    values = {name: getattr(case, name) for name in rules.CaseFacts.__dataclass_fields__}
    values.update(changes)
    return rules.CaseFacts(**values)


def _supervisor(
    employer: Employer, contact_id: int | None, name: str, phone: str, email: str
) -> tuple[EmployerContact | None, str, str, str]:
    """A chosen contact person fills the supervisor's details that were left empty."""
    if not contact_id:
        return None, name.strip(), phone.strip(), email.strip()
    contact = EmployerContact.objects.filter(pk=contact_id, employer=employer).first()
    if contact is None:
        raise DomainError({"supervisor_contact": [_("Välj en kontaktperson hos arbetsgivaren.")]})
    return contact, (name.strip() or contact.name), (phone.strip() or contact.phone), (email.strip() or contact.email)


def osa_warnings(person_id: int, subsidy_type: str | None = None) -> list[str]:
    """A warning, not a refusal, when lönebidrag is sought for someone in an ongoing OSA employment: the two
    are forms of the same support (förordning 2017:462) and neither DOMAIN §9–§10 nor seed 000 forbids the
    case, but the coach must align with the OSA officer and Arbetsförmedlingen first. `subsidy_type` None:
    the new-case page, before the type is chosen."""
    if subsidy_type not in (None, SubsidyType.LONEBIDRAG) or not selectors.in_osa(person_id):
        return []
    return [
        _(
            "Personen har en pågående OSA-anställning (skyddat arbete hos offentlig arbetsgivare). Lönebidrag och OSA "
            "är stöd enligt samma förordning: stäm av med OSA-handläggaren och Arbetsförmedlingen innan ansökan om lönebidrag."
        )
    ]


def case_warnings(case: SubsidyCase) -> list[str]:
    rule = eligibility_services.rule_for(case.subsidy_type, case.decision_on or case.notified_on)
    limit = (rule.parameters.get("limits") or {}).get("max_months_per_decision") if rule else None
    warnings = rules.case_warnings(_facts(case), limit if isinstance(limit, int) else None)
    if case.is_open:
        warnings += osa_warnings(case.participation.person_id, case.subsidy_type)
    return warnings


# --- cases -----------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CaseDetails:
    """What the coach writes about a case: the one input of the web form and the API's serializer."""

    notification_text: str = ""
    preceded_by_practice: bool = False
    supervisor_contact_id: int | None = None
    supervisor_name: str = ""
    supervisor_phone: str = ""
    supervisor_email: str = ""
    planned_start: datetime.date | None = None

    @classmethod
    def parsed(cls, values: Mapping[str, Any], **more: Any) -> Self:
        """From a form's cleaned_data or a serializer's validated_data (objects or ids for the relations)."""
        names = {f.name for f in fields(cls)}
        data = {name: values[name] for name in names if name in values}
        for relation in ("supervisor_contact", "employer", "participation"):
            if f"{relation}_id" in names and relation in values:
                data[f"{relation}_id"] = getattr(values[relation], "pk", values[relation])
        return cls(**{**data, **more})


@dataclass(frozen=True, kw_only=True)
class NewCase(CaseDetails):
    """An interest notification: a case for one participation and one employer."""

    participation_id: int
    subsidy_type: str
    employer_id: int | None
    notified_on: datetime.date | None


def open_new_case(user: User, actor: Actor, participation_id: int) -> Participation:
    """The participation a new case is about to be registered for (the new-case page): the person
    read is audited; no relation raises AccessDenied, a role or unit without `create_case` is
    audited as refused and raises PermissionDenied."""
    what = f"deltagande {participation_id}: nytt stödärende"
    participation = Participation.objects.select_related("person", "unit").filter(pk=participation_id).first()
    if participation is None:
        raise AccessDenied()
    person, _decision = open_person(user, actor, participation.person_id, what)
    if not rules.may("create_case", user.role, user.jobbtorg_unit_id, participation.unit_id):
        record(actor, Action.CREATE, what, person.pk, allowed=False, protected=person.is_protected)
        raise PermissionDenied(_("Du har inte behörighet att hantera stödärenden för deltagandet."))
    return participation


def create_case(user: User, actor: Actor, data: NewCase, *, today: datetime.date | None = None) -> SubsidyCase:
    today = today or timezone.localdate()
    participation_id, subsidy_type, employer_id, notified_on = (
        data.participation_id,
        data.subsidy_type,
        data.employer_id,
        data.notified_on,
    )
    notification_text, preceded_by_practice, planned_start = (
        data.notification_text,
        data.preceded_by_practice,
        data.planned_start,
    )
    supervisor_name, supervisor_phone, supervisor_email = data.supervisor_name, data.supervisor_phone, data.supervisor_email
    participation = (
        Participation.objects.select_related("person", "unit").filter(pk=participation_id).first() if participation_id else None
    )
    authorise(user, actor, participation, _what(None, "nytt ärende"), Action.CREATE, capability="create_case")
    assert participation is not None
    errors: rules.Errors = {}
    if participation.status not in OPEN_STATUSES:
        rules._add(errors, "participation", _("Deltagandet är avslutat. Stöd söks för pågående deltaganden."))
    employer = Employer.objects.filter(pk=employer_id).first() if employer_id else None
    if employer is None:
        rules._add(errors, "employer", _("Välj en arbetsgivare."))
    contact = None
    if employer is not None:
        try:
            contact, supervisor_name, supervisor_phone, supervisor_email = _supervisor(
                employer, data.supervisor_contact_id, supervisor_name, supervisor_phone, supervisor_email
            )
        except DomainError as exc:
            rules.errors_update(errors, exc.message_dict)
    facts = rules.CaseFacts(
        subsidy_type=subsidy_type,
        notified_on=notified_on,
        notification_text=notification_text,
        preceded_by_practice=preceded_by_practice,
        supervisor_name=supervisor_name,
        supervisor_phone=supervisor_phone,
        supervisor_email=supervisor_email,
        planned_start=planned_start,
    )
    rules.errors_update(errors, rules.case_errors(facts, today))
    _raise(errors)
    assert notified_on is not None and employer is not None
    with transaction.atomic():
        case = SubsidyCase.objects.create(
            participation=participation,
            subsidy_type=subsidy_type,
            employer=employer,
            route=route_for(participation.person),
            notified_on=notified_on,
            notification_text=notification_text.strip(),
            preceded_by_practice=preceded_by_practice,
            supervisor_contact=contact,
            supervisor_name=supervisor_name,
            supervisor_phone=supervisor_phone,
            supervisor_email=supervisor_email,
            planned_start=planned_start,
            created_by=user,
        )
        case.participation = participation
        _create_steps(case, user)
        text = _("Ärende om %(type)s hos %(employer)s: intresseanmälan %(date)s.") % {
            "type": SubsidyType(subsidy_type).label,
            "employer": employer.name,
            "date": notified_on.isoformat(),
        }
        if case.route == Route.LOCAL_OFFICE:
            text += " " + _("Skyddad identitet: handläggs av Arbetsförmedlingens lokalkontor, inte digitalt.")
        timeline.append(
            kind="subsidy_case_created",
            text=text,
            author=user,
            participation=participation,
            occurred_on=notified_on,
            data={"subsidy_case": case.pk, "subsidy_type": subsidy_type, "route": case.route},
        )
        store_deadlines(case)
        _audit(actor, case, "skapat", Action.CREATE)
    return case


def _create_steps(case: SubsidyCase, user: User) -> None:
    if case.subsidy_type == SubsidyType.LONEBIDRAG:
        steps = []
        for kind in step_rules.LONEBIDRAG_CREATED:
            rule = step_rules.STEP_RULES[kind]
            step = SubsidyStep(case=case, kind=kind, seq=rule.seq, responsible=rule.responsible)
            if kind == StepKind.LB_1_NOTIFICATION:
                step.status = rules.step_next(step.status, StepAction.COMPLETE)
                step.opened_on, step.due_on = case.notified_on, case.notified_on
                step.done_on, step.done_by = case.notified_on, user
            elif kind in (StepKind.LB_2_CALLBACK, StepKind.LB_2_ORDER):
                # Both clocks run from the interest notification (seed 000 §2: "inom 3 dagar", "Punkt 1-2 tar 3-5 dagar").
                step.due_on = step_rules.step_due(kind, case.notified_on)
                if kind == StepKind.LB_2_CALLBACK:
                    step.status, step.opened_on = rules.step_next(step.status, StepAction.OPEN), case.notified_on
            steps.append(step)
        SubsidyStep.objects.bulk_create(steps)
    _sync_intro_decision(case)


def _create_open_step(
    case: SubsidyCase,
    kind: StepKind,
    opened_on: datetime.date,
    due_on: datetime.date | None,
    data: dict[str, Any] | None = None,
) -> SubsidyStep:
    """A step created on demand (not with the case): open from the start, its order and side from its rule."""
    rule = step_rules.STEP_RULES[kind]
    return SubsidyStep.objects.create(
        case=case,
        kind=kind,
        seq=rule.seq,
        responsible=rule.responsible,
        status=rules.step_next(StepStatus.WAITING, StepAction.OPEN),
        opened_on=opened_on,
        due_on=due_on,
        data=data or {},
    )


def _sync_intro_decision(case: SubsidyCase) -> None:
    """Introduktionsjobb: the decision is due 14 days before the planned start (a stored, visible deadline)."""
    if case.subsidy_type != SubsidyType.INTRODUKTIONSJOBB or case.status != CaseStatus.NOTIFIED:
        return
    step = case.steps.filter(kind=StepKind.INTRO_DECISION).first()
    if case.planned_start is None:
        if step is not None and step.status == StepStatus.OPEN:
            step.status = rules.step_next(step.status, StepAction.CANCEL)
            step.save(update_fields=["status", "updated_at"])
        return
    due = rules.intro_decision_latest(case.planned_start)
    if step is None:
        _create_open_step(case, StepKind.INTRO_DECISION, case.notified_on, due)
    else:
        if step.status != StepStatus.OPEN:
            step.status = rules.step_next(step.status, StepAction.REOPEN)
        step.due_on = due
        step.save(update_fields=["status", "due_on", "updated_at"])


def update_case(
    user: User,
    actor: Actor,
    case_id: int,
    *,
    version: int | None,
    data: CaseDetails,
    today: datetime.date | None = None,
) -> SubsidyCase:
    today = today or timezone.localdate()
    notification_text, preceded_by_practice, planned_start = (
        data.notification_text,
        data.preceded_by_practice,
        data.planned_start,
    )
    case = _authorised_case(user, actor, case_id, "ändra", "edit_case")
    if not case.is_open:
        _raise({"non_field_errors": [rules.transition_error(case.status, CaseStep.GRANT)]})
    contact, name, phone, email = _supervisor(
        case.employer, data.supervisor_contact_id, data.supervisor_name, data.supervisor_phone, data.supervisor_email
    )
    facts = _facts(
        case,
        notification_text=notification_text,
        preceded_by_practice=preceded_by_practice,
        supervisor_name=name,
        supervisor_phone=phone,
        supervisor_email=email,
        planned_start=planned_start,
    )
    _raise(rules.case_errors(facts, today))
    with transaction.atomic():
        case.notification_text = notification_text.strip()
        case.preceded_by_practice = preceded_by_practice
        case.supervisor_contact = contact
        case.supervisor_name, case.supervisor_phone, case.supervisor_email = name, phone, email
        case.planned_start = planned_start
        case.route = route_for(case.participation.person)
        _lock(case, version, [*CASE_FIELDS, "route"])
        _sync_intro_decision(case)
        timeline.append(
            kind="subsidy_case_changed",
            text=_("Uppgifterna i ärendet om %(type)s ändrades.") % {"type": case.get_subsidy_type_display()},
            author=user,
            participation=case.participation,
            data={"subsidy_case": case.pk},
        )
        store_deadlines(case)
        _audit(actor, case, "ändrat")
    return case


def record_decision(
    user: User,
    actor: Actor,
    case_id: int,
    *,
    version: int | None,
    decision_on: datetime.date | None,
    period_from: datetime.date | None,
    period_to: datetime.date | None,
    missing_facts: str = "",
    today: datetime.date | None = None,
) -> tuple[SubsidyCase, list[str]]:
    """Arbetsförmedlingen granted the subsidy. Lönebidrag records its decision in step 6 instead.

    Nystartsjobb: refused while the eligibility check says "cannot be determined" (facts missing), unless
    `missing_facts` records what the decision rested on for them (`decision_missing`)."""
    today = today or timezone.localdate()
    case = _authorised_case(user, actor, case_id, "beslut", rules.WHO[CaseStep.GRANT])
    if case.subsidy_type == SubsidyType.LONEBIDRAG:
        _raise({"non_field_errors": [_("För lönebidrag registreras beslutet i steg 6 i processen.")]})
    rules.next_status(case.status, CaseStep.GRANT)
    facts = _facts(case, decision_on=decision_on, period_from=period_from, period_to=period_to)
    limit = eligibility_services.max_months_per_decision(case.subsidy_type, decision_on) if decision_on else None
    errors = rules.decision_errors(facts, today, max_months=limit)
    # Asked once the decision's own fields hold and the form is not stale (a stale form is a conflict
    # first, as the save would say): the eligibility check runs for the decision date.
    stale = version is not None and version != case.version
    missing = [] if errors or stale else decision_missing(case, decision_on or today)
    missing_facts = missing_facts.strip() if missing else ""
    if missing and not missing_facts:
        rules._add(
            errors,
            "missing_facts",
            _(
                "Rätten till nystartsjobb går inte att avgöra – uppgifter saknas: %(missing)s Registrera uppgifterna "
                "under Kvalificering, eller skriv här vad Arbetsförmedlingens beslut bygger på för dem."
            )
            % {"missing": " ".join(dict.fromkeys(missing))},
        )
    _raise(errors)
    # decision_errors (required) refused any of the three missing.
    assert decision_on is not None and period_from is not None and period_to is not None
    with transaction.atomic():
        case.decision_missing_facts = missing_facts
        _grant(case, version, decision_on, period_from, period_to)
        _finish_step(case, StepKind.INTRO_DECISION, decision_on, user)
        warnings = case_warnings(case)
        timeline.append(
            kind="subsidy_decision_recorded",
            text=_("Arbetsförmedlingen beviljade %(type)s %(date)s för %(start)s–%(end)s.")
            % {
                "type": case.get_subsidy_type_display(),
                "date": decision_on.isoformat(),
                "start": period_from.isoformat(),
                "end": period_to.isoformat(),
            },
            author=user,
            participation=case.participation,
            occurred_on=decision_on,
            data={"subsidy_case": case.pk, "warnings": warnings},
        )
        store_deadlines(case)
        _audit(actor, case, "beslut registrerat")
    return case, warnings


def decision_missing(case: SubsidyCase, on: datetime.date) -> list[str]:
    """The facts the eligibility check misses for a nystartsjobb decision on `on` (empty when it can tell,
    and for every other subsidy: their decision is not gated here)."""
    if case.subsidy_type != SubsidyType.NYSTARTSJOBB:
        return []
    evaluation = eligibility_services.evaluation_of(case.participation.person, case.subsidy_type, on)
    return evaluation.missing if evaluation.outcome == eligibility_rules.Outcome.UNKNOWN else []


def _grant(
    case: SubsidyCase, version: int | None, decision_on: datetime.date, period_from: datetime.date, period_to: datetime.date
) -> None:
    case.decision_on, case.period_from, case.period_to = decision_on, period_from, period_to
    case.status = rules.next_status(case.status, CaseStep.GRANT)
    _lock(case, version, ["decision_on", "period_from", "period_to", "status", "decision_missing_facts"])


def _finish_step(case: SubsidyCase, kind: StepKind, on: datetime.date, user: User | None) -> None:
    case.steps.filter(kind=kind, status__in=rules.step_sources(StepAction.COMPLETE)).update(
        status=rules.step_next(StepStatus.OPEN, StepAction.COMPLETE), done_on=on, done_by=user, updated_at=timezone.now()
    )


def _cancel_open_steps(case: SubsidyCase, keep: Iterable[str] = ()) -> None:
    case.steps.filter(status__in=rules.step_sources(StepAction.CANCEL)).exclude(kind__in=list(keep)).update(
        status=rules.step_next(StepStatus.OPEN, StepAction.CANCEL), paused_on=None, updated_at=timezone.now()
    )


def close_without_grant(
    user: User,
    actor: Actor,
    case_id: int,
    *,
    version: int | None,
    target: str,
    on: datetime.date | None,
    reason: str,
    today: datetime.date | None = None,
) -> SubsidyCase:
    """Not granted (REFUSED) or withdrawn by the Jobbtorg (WITHDRAWN): the case ends, its clocks stop."""
    today = today or timezone.localdate()
    step = rules.STEP_FOR_TARGET.get(target)
    if step not in (CaseStep.REFUSE, CaseStep.WITHDRAW):
        # Access first (a 404 says nothing of the choice); which capability applies depends on the choice.
        _authorised_case(user, actor, case_id, "avslut utan beslut", "edit_case")
        _raise({"status": [_("Välj avslag eller återkallat.")]})
    assert step is not None
    case = _authorised_case(user, actor, case_id, "avslut utan beslut", rules.WHO[step])
    if step in rules.IN_PROCESS.get(case.subsidy_type, set()):
        _raise({"non_field_errors": [_("För lönebidrag registreras avslag i steg 3 eller steg 6 i processen.")]})
    rules.next_status(case.status, step)
    errors: rules.Errors = {}
    if on is None:
        rules._add(errors, "on", _("Ange ett datum."))
    elif on > today:
        rules._add(errors, "on", _("Datumet kan inte vara i framtiden."))
    elif on < case.notified_on:
        rules._add(
            errors, "on", _("Datumet kan inte vara före intresseanmälan (%(date)s).") % {"date": case.notified_on.isoformat()}
        )
    if not reason.strip():
        rules._add(errors, "reason", _("Ange orsak."))
    _raise(errors)
    assert on is not None
    with transaction.atomic():
        _end(case, version, step, on, reason)
        timeline.append(
            kind=f"subsidy_case_{target}",
            text=_("Ärendet om %(type)s: %(status)s. %(reason)s")
            % {"type": case.get_subsidy_type_display(), "status": CaseStatus(target).label, "reason": reason.strip()},
            author=user,
            participation=case.participation,
            occurred_on=on,
            data={"subsidy_case": case.pk},
        )
        store_deadlines(case)
        _audit(actor, case, CaseStatus(target).label)
    return case


def _end(case: SubsidyCase, version: int | None, step: CaseStep, on: datetime.date, reason: str) -> None:
    case.status, case.ended_on, case.end_reason = rules.next_status(case.status, step), on, reason.strip()
    _lock(case, version, ["status", "ended_on", "end_reason"])
    _cancel_open_steps(case)


def terminate_early(
    user: User,
    actor: Actor,
    case_id: int,
    *,
    version: int | None,
    terminated_on: datetime.date | None,
    reason: str,
    today: datetime.date | None = None,
) -> SubsidyCase:
    """Avbrott i förtid (seed 000 §1): the case ends and a task to report it to AF's employer line opens."""
    today = today or timezone.localdate()
    case = _authorised_case(user, actor, case_id, "avbrott i förtid", rules.WHO[CaseStep.TERMINATE])
    rules.next_status(case.status, CaseStep.TERMINATE)
    _raise(rules.termination_errors(terminated_on, reason, case.period_from, today))
    assert terminated_on is not None
    with transaction.atomic():
        case.status = rules.next_status(case.status, CaseStep.TERMINATE)
        case.ended_on, case.end_reason = terminated_on, reason.strip()
        _lock(case, version, ["status", "ended_on", "end_reason"])
        if case.subsidy_type == SubsidyType.LONEBIDRAG:
            # AF's follow-ups after the end fall away; the coach follows up until 3 months after the end.
            case.steps.filter(
                kind__in=[StepKind.LB_7_AF_FOLLOWUP, StepKind.LB_7_EXTENSION], status=StepStatus.OPEN, due_on__gt=terminated_on
            ).update(status=rules.step_next(StepStatus.OPEN, StepAction.CANCEL), updated_at=timezone.now())
            case.steps.filter(kind=StepKind.LB_7_COACH_FOLLOWUP, status=StepStatus.OPEN).update(
                due_on=step_rules.step_due(StepKind.LB_7_COACH_FOLLOWUP, terminated_on), updated_at=timezone.now()
            )
        _create_open_step(
            case,
            StepKind.AF_TERMINATION_REPORT,
            today,
            step_rules.step_due(StepKind.AF_TERMINATION_REPORT, today),
            {"terminated_on": terminated_on.isoformat(), "phone": step_rules.AF_EMPLOYER_LINE},
        )
        timeline.append(
            kind="subsidy_terminated_early",
            text=_(
                "%(type)s avbröts i förtid %(date)s: %(reason)s. Avbrottet ska anmälas till Arbetsförmedlingens "
                "arbetsgivarlinje %(phone)s."
            )
            % {
                "type": case.get_subsidy_type_display(),
                "date": terminated_on.isoformat(),
                "reason": reason.strip(),
                "phone": step_rules.AF_EMPLOYER_LINE,
            },
            author=user,
            participation=case.participation,
            occurred_on=terminated_on,
            data={"subsidy_case": case.pk},
        )
        store_deadlines(case)
        _audit(actor, case, "avbrott i förtid")
    return case


def end_case(
    user: User,
    actor: Actor,
    case_id: int,
    *,
    version: int | None,
    ended_on: datetime.date | None,
    today: datetime.date | None = None,
) -> SubsidyCase:
    """The decision period ran to its end."""
    today = today or timezone.localdate()
    case = _authorised_case(user, actor, case_id, "avslut", rules.WHO[CaseStep.END])
    rules.next_status(case.status, CaseStep.END)
    errors: rules.Errors = {}
    if ended_on is None:
        rules._add(errors, "ended_on", _("Ange ett datum."))
    elif ended_on > today:
        rules._add(errors, "ended_on", _("Datumet kan inte vara i framtiden."))
    elif case.period_to and ended_on < case.period_to:
        rules._add(
            errors,
            "ended_on",
            _("Beslutet gäller till %(date)s. Slutar stödet tidigare är det ett avbrott i förtid.")
            % {"date": case.period_to.isoformat()},
        )
    _raise(errors)
    assert ended_on is not None
    with transaction.atomic():
        case.status, case.ended_on = rules.next_status(case.status, CaseStep.END), ended_on
        _lock(case, version, ["status", "ended_on"])
        timeline.append(
            kind="subsidy_case_ended",
            text=_("%(type)s avslutades %(date)s enligt beslutet.")
            % {"type": case.get_subsidy_type_display(), "date": ended_on.isoformat()},
            author=user,
            participation=case.participation,
            occurred_on=ended_on,
            data={"subsidy_case": case.pk},
        )
        store_deadlines(case)
        _audit(actor, case, "avslutat")
    return case


# --- steps -------------------------------------------------------------------------------------------


def store_deadlines(case: SubsidyCase) -> None:
    """Store the case's step clocks in the one deadline store (deadlines.services), where the
    coach's worklist, badge and digest read them. Called at the end of every service that
    changes steps, inside its transaction; a waiting step has no running clock."""
    steps = list(SubsidyStep.objects.filter(case=case))
    deadlines.set_subject_deadlines([Kind.SUBSIDY_STEP], [s.pk for s in steps], [
        deadlines.Clock(Kind.SUBSIDY_STEP, s.pk, s.due_on, done_on=s.done_on if s.status == StepStatus.DONE else None,
                        paused_on=s.paused_on, cancelled=s.status == StepStatus.CANCELLED)
        for s in steps if s.due_on is not None and s.status != StepStatus.WAITING
    ], participation_id=case.participation_id)  # fmt: skip


def _state(step: SubsidyStep | None) -> rules.StepState | None:
    if step is None:
        return None
    return rules.StepState(StepKind(step.kind), step.status, step.done_on, step.opened_on, step.paused_on)


def _open_step(step: SubsidyStep, opened_on: datetime.date, clock_start: datetime.date | None) -> None:
    step.status, step.opened_on = rules.step_next(step.status, StepAction.OPEN), opened_on
    if clock_start is not None:
        step.due_on = step_rules.step_due(StepKind(step.kind), clock_start)
    step.save(update_fields=["status", "opened_on", "due_on", "updated_at"])


def _date(data: dict[str, Any], name: str) -> datetime.date | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise DomainError({name: [_("Skriv datumet som ÅÅÅÅ-MM-DD.")]}) from None


def complete_step(
    user: User,
    actor: Actor,
    case_id: int,
    *,
    version: int | None,
    kind: str,
    done_on: datetime.date | None,
    outcome: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
    today: datetime.date | None = None,
) -> tuple[SubsidyCase, list[str]]:
    """Register that a step was done (by the coach, or by Arbetsförmedlingen as the coach learned).

    Refused, with nothing saved, when the step before is not done or the date is before it.
    Returns the case and any warnings (e.g. a long decision period).
    """
    today = today or timezone.localdate()
    data = dict(data or {})
    case = _authorised_case(user, actor, case_id, _step_what(kind), "complete_step")
    if kind not in step_rules.StepKind.__members__.values():
        _raise({"kind": [_("Okänt steg.")]})
    step_kind = StepKind(kind)
    steps = {s.kind: s for s in case.steps.all()}
    step = steps.get(step_kind)
    if step is None:
        _raise({"kind": [_("Steget finns inte i det här ärendet.")]})
    if step_kind == StepKind.INTRO_DECISION:
        _raise({"kind": [_("Registrera beslutet om introduktionsjobb med beslutsdatum och period.")]})
    assert step is not None
    after = step_rules.STEP_RULES[step_kind].after
    previous = steps.get(after) if after else None
    if done_on is not None and not rules.DATE_MIN <= done_on <= rules.DATE_MAX:
        _raise({"done_on": [_("Ange ett datum mellan år 2000 och 2100.")]})
    errors = rules.completion_errors(_state(step), _state(previous), done_on, today)  # type: ignore[arg-type]
    _raise(errors)
    assert done_on is not None
    if not case.is_open and step_kind not in (StepKind.AF_TERMINATION_REPORT, StepKind.LB_7_COACH_FOLLOWUP):
        _raise({"non_field_errors": [rules.transition_error(case.status, CaseStep.GRANT)]})
    warnings: list[str] = []
    handler = _STEP_HANDLERS.get(step_kind, _plain_step)
    with transaction.atomic():
        _lock(case, version)
        text = handler(case, steps, step, done_on, outcome, data, user, today, warnings)
        step.note = note.strip()
        step.save(update_fields=["note", "updated_at"])
        timeline.append(
            kind="subsidy_step_completed",
            text=text,
            author=user,
            participation=case.participation,
            occurred_on=done_on,
            data={"subsidy_case": case.pk, "step": step_kind.value, "outcome": step.outcome},
        )
        store_deadlines(case)
        _audit(actor, case, _step_what(step_kind))
    return case, warnings


def _mark_done(
    step: SubsidyStep, done_on: datetime.date, user: User, outcome: str = "", data: dict[str, Any] | None = None
) -> None:
    step.status = rules.step_next(step.status, StepAction.COMPLETE)
    step.done_on, step.done_by, step.outcome = done_on, user, outcome
    if data:
        step.data = {**step.data, **data}
    step.save(update_fields=["status", "done_on", "done_by", "outcome", "data", "updated_at"])


def _label(case: SubsidyCase, step: SubsidyStep) -> str:
    rule = step_rules.STEP_RULES[StepKind(step.kind)]
    prefix = _("Steg %(n)s: ") % {"n": rule.code} if rule.code else ""
    return prefix + rule.label_for(case.route)


def _plain_step(case, steps, step, done_on, outcome, data, user, today, warnings) -> str:
    _mark_done(step, done_on, user)
    for nxt in steps.values():
        if nxt.status == StepStatus.WAITING and step_rules.STEP_RULES[StepKind(nxt.kind)].after == step.kind:
            _open_step(nxt, done_on, _clock_start(case, steps, StepKind(nxt.kind), done_on))
    if step.kind == StepKind.AF_TERMINATION_REPORT:
        return _("Avbrottet är anmält till Arbetsförmedlingens arbetsgivarlinje %(phone)s.") % {
            "phone": step_rules.AF_EMPLOYER_LINE
        }
    return _("%(step)s: klart %(date)s.") % {"step": _label(case, step), "date": done_on.isoformat()}


def _clock_start(
    case: SubsidyCase, steps: dict[str, SubsidyStep], kind: StepKind, previous_done: datetime.date
) -> datetime.date | None:
    """Which date starts a step's clock (the table in the rules module's docstring)."""
    if kind in (StepKind.LB_2_CALLBACK, StepKind.LB_2_ORDER):
        return case.notified_on
    if kind == StepKind.LB_7_AF_FOLLOWUP:
        return case.period_from
    if kind in (StepKind.LB_7_EXTENSION, StepKind.LB_7_COACH_FOLLOWUP):
        return case.period_to
    if kind == StepKind.LB_6_DECISION:
        return None
    return previous_done


def _eligibility_step(case, steps, step, done_on, outcome, data, user, today, warnings) -> str:
    if outcome not in [o.value for o in Eligibility3]:
        _raise({"outcome": [_("Välj utfallet av utredningen.")]})
    if outcome == Eligibility3.NOT_ELIGIBLE:
        notified = data.get("notified") or []
        if not isinstance(notified, list) or set(notified) != set(step_rules.NOTIFIED_PARTIES):
            _raise({"notified": [_("Ange att arbetsgivaren, den arbetssökande och coachen har meddelats.")]})
        _mark_done(step, done_on, user, outcome, {"notified": sorted(notified)})
        case.status, case.ended_on = rules.next_status(case.status, CaseStep.REFUSE), done_on
        case.end_reason = str(step_rules.STEP_OUTCOMES[StepKind.LB_3_ELIGIBILITY][Eligibility3.NOT_ELIGIBLE])
        case.save(update_fields=["status", "ended_on", "end_reason"])
        _cancel_open_steps(case)
        return _(
            "Steg 3: personen uppfyller inte kraven för lönestöd (%(date)s). Arbetsgivare, arbetssökande och coach är meddelade."
        ) % {"date": done_on.isoformat()}
    if outcome == Eligibility3.OUTDATED:
        due = _date(data, "completion_due") or step_rules.step_due(StepKind.LB_3_COMPLETION, done_on)
        assert due is not None
        if due < done_on or due > rules.DATE_MAX:
            _raise(
                {
                    "completion_due": [
                        _("Ange ett datum för kompletteringen som är samma dag som eller efter %(date)s.")
                        % {"date": done_on.isoformat()}
                    ]
                }
            )
        # The step-3 clock pauses while the documentation is completed (rules docstring).
        step.paused_on = done_on
        step.data = {**step.data, "completions": [*step.data.get("completions", []), done_on.isoformat()]}
        step.save(update_fields=["paused_on", "data", "updated_at"])
        completion = steps.get(StepKind.LB_3_COMPLETION)
        if completion is None:
            _create_open_step(case, StepKind.LB_3_COMPLETION, done_on, due)
        else:  # a second request for completion opens the done step again
            completion.status = rules.step_next(completion.status, StepAction.REOPEN)
            completion.opened_on, completion.due_on, completion.done_on, completion.done_by = done_on, due, None, None
            completion.save(update_fields=["status", "opened_on", "due_on", "done_on", "done_by", "updated_at"])
        return _("Steg 3: underlaget är inaktuellt; Arbetsförmedlingen begär komplettering senast %(due)s.") % {
            "due": due.isoformat()
        }
    meeting_on = _date(data, "meeting_on")
    if meeting_on is None:
        _raise({"meeting_on": [_("Ange datum för mötet med arbetsgivaren.")]})
    assert meeting_on is not None
    if meeting_on < done_on or meeting_on > rules.DATE_MAX:
        _raise({"meeting_on": [_("Mötet kan inte vara före beskedet (%(date)s).") % {"date": done_on.isoformat()}]})
    _mark_done(step, done_on, user, outcome, {"meeting_on": meeting_on.isoformat()})
    visit = steps[StepKind.LB_4_WORKPLACE_VISIT]
    _open_step(visit, done_on, done_on)
    return _("Steg 3: personen uppfyller kraven för lönestöd; möte med arbetsgivaren bokat %(date)s.") % {
        "date": meeting_on.isoformat()
    }


def _completion_step(case, steps, step, done_on, outcome, data, user, today, warnings) -> str:
    eligibility = steps[StepKind.LB_3_ELIGIBILITY]
    if eligibility.paused_on and done_on < eligibility.paused_on:
        _raise(
            {
                "done_on": [
                    _("Datumet kan inte vara före begäran om komplettering (%(date)s).")
                    % {"date": eligibility.paused_on.isoformat()}
                ]
            }
        )
    _mark_done(step, done_on, user)
    if eligibility.paused_on and eligibility.due_on:
        eligibility.due_on = step_rules.shift_for_pause(eligibility.due_on, eligibility.paused_on, done_on)
    eligibility.paused_on = None
    eligibility.save(update_fields=["due_on", "paused_on", "updated_at"])
    return _("Steg 3: underlaget är kompletterat %(date)s; utredningen fortsätter (senast %(due)s).") % {
        "date": done_on.isoformat(),
        "due": eligibility.due_on.isoformat() if eligibility.due_on else "–",
    }


def _decision_step(case, steps, step, done_on, outcome, data, user, today, warnings) -> str:
    if outcome not in [o.value for o in Decision6]:
        _raise({"outcome": [_("Välj Arbetsförmedlingens beslut.")]})
    if outcome == Decision6.REFUSED:
        _mark_done(step, done_on, user, outcome)
        case.status, case.ended_on = rules.next_status(case.status, CaseStep.REFUSE), done_on
        case.decision_on = done_on
        case.end_reason = str(step_rules.STEP_OUTCOMES[StepKind.LB_6_DECISION][Decision6.REFUSED])
        case.save(update_fields=["status", "ended_on", "end_reason", "decision_on"])
        _cancel_open_steps(case)
        return _("Steg 6: Arbetsförmedlingen beviljade inte lönebidrag (%(date)s).") % {"date": done_on.isoformat()}
    period_from, period_to = _date(data, "period_from"), _date(data, "period_to")
    facts = _facts(case, decision_on=done_on, period_from=period_from, period_to=period_to)
    _raise(
        rules.decision_errors(facts, today, max_months=eligibility_services.max_months_per_decision(case.subsidy_type, done_on))
    )
    assert period_from is not None and period_to is not None
    case.status = rules.next_status(case.status, CaseStep.GRANT)
    case.decision_on, case.period_from, case.period_to = done_on, period_from, period_to
    case.save(update_fields=["decision_on", "period_from", "period_to", "status"])
    _mark_done(step, done_on, user, outcome, {"period_from": period_from.isoformat(), "period_to": period_to.isoformat()})
    for kind in (StepKind.LB_7_AF_FOLLOWUP, StepKind.LB_7_EXTENSION, StepKind.LB_7_COACH_FOLLOWUP):
        _open_step(steps[kind], done_on, _clock_start(case, steps, kind, done_on))
    warnings.extend(case_warnings(case))
    return _("Steg 6: Arbetsförmedlingen beviljade lönebidrag %(date)s för %(start)s–%(end)s.") % {
        "date": done_on.isoformat(),
        "start": period_from.isoformat(),
        "end": period_to.isoformat(),
    }


def _coach_followup_step(case, steps, step, done_on, outcome, data, user, today, warnings) -> str:
    insats_end = case.ended_on if case.status == CaseStatus.TERMINATED_EARLY else case.period_to
    _raise(rules.coach_followup_errors(done_on, insats_end))
    return _plain_step(case, steps, step, done_on, outcome, data, user, today, warnings)


_STEP_HANDLERS = {
    StepKind.LB_3_ELIGIBILITY: _eligibility_step,
    StepKind.LB_3_COMPLETION: _completion_step,
    StepKind.LB_6_DECISION: _decision_step,
    StepKind.LB_7_COACH_FOLLOWUP: _coach_followup_step,
}
