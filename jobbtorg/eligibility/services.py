"""The one write path for the qualification rules and the eligibility facts (DOMAIN §18;
split from subsidies.services, ADR 0015), and the evaluation of a person against a rule.

Facts and history are recorded by the roles with `record_eligibility_facts`
(eligibility.rules.CAPABILITIES) who see the person (access.policy); every read and change
is audited, refusals too, and every change appends a timeline entry.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.access.policy import check_person
from jobbtorg.accounts.models import User
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core.errors import AccessDenied, DomainError
from jobbtorg.core.locking import save_versioned
from jobbtorg.eligibility import rules
from jobbtorg.eligibility.models import EligibilityFacts, LabourMarketMonth, MonthKind, QualificationRule, SubsidyType
from jobbtorg.participations.models import OPEN_STATUSES, Participation
from jobbtorg.people.models import Person
from jobbtorg.timeline import services as timeline


def _raise(errors: rules.Errors) -> None:
    if errors:
        raise DomainError(errors)


def max_months_per_decision(subsidy_type: str, on: datetime.date) -> int | None:
    """The rule data's longest decision period for the subsidy, in force on `on`."""
    rule = rule_for(subsidy_type, on)
    return rules.max_months_per_decision(rule.parameters) if rule else None


# --- qualification rules -------------------------------------------------------------------------------


def rule_versions(subsidy_type: str | None = None) -> list[rules.RuleVersion]:
    qs = QualificationRule.objects.all()
    if subsidy_type:
        qs = qs.filter(subsidy_type=subsidy_type)
    return [
        rules.RuleVersion(r.subsidy_type, r.version, r.valid_from, r.valid_to, r.source, r.parameters)
        for r in qs.order_by("subsidy_type", "valid_from", "version")
    ]


def rule_for(subsidy_type: str, on: datetime.date) -> rules.RuleVersion | None:
    return rules.rule_valid_on(rule_versions(subsidy_type), subsidy_type, on)


def rule_version_errors(
    subsidy_type: str,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
    source: str,
    parameters: Any,
    exclude_pk: int | None = None,
) -> rules.Errors:
    """What must hold for a new rule version: known type, ordered period, source, sound parameters, no overlap
    with an earlier version other than the open-ended one it replaces."""
    errors: rules.Errors = {}
    if subsidy_type not in SubsidyType.values:
        rules.add_error(errors, "subsidy_type", _("Välj en stödform."))
    if valid_from is None:
        rules.add_error(errors, "valid_from", _("Ange från vilket datum regeln gäller."))
    elif not rules.DATE_MIN <= valid_from <= rules.DATE_MAX or (valid_to and not rules.DATE_MIN <= valid_to <= rules.DATE_MAX):
        rules.add_error(errors, "valid_from", _("Ange ett datum mellan år 2000 och 2100."))
    elif valid_to and valid_to < valid_from:
        rules.add_error(errors, "valid_to", _("Ange ett slutdatum som är samma dag som eller efter startdatum."))
    if not (source or "").strip():
        rules.add_error(errors, "source", _("Ange källa, t.ex. förordningens nummer."))
    for message in rules.parameter_errors(parameters):
        rules.add_error(errors, "parameters", message)
    if errors:
        return errors
    assert valid_from is not None
    others = QualificationRule.objects.filter(subsidy_type=subsidy_type)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    for other in others:
        replaced = other.valid_to is None and other.valid_from < valid_from
        if not replaced and rules.periods_overlap(valid_from, valid_to, other.valid_from, other.valid_to):
            rules.add_error(
                errors,
                "valid_from",
                _("Perioden överlappar version %(v)s (%(from)s–%(to)s).")
                % {
                    "v": other.version,
                    "from": other.valid_from.isoformat(),
                    "to": other.valid_to.isoformat() if other.valid_to else "",
                },
            )
    return errors


def add_rule_version(
    actor: Actor | None,
    *,
    subsidy_type: str,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None = None,
    source: str,
    source_text: str = "",
    parameters: Any,
) -> QualificationRule:
    """A new version of a subsidy's rule: the open-ended version before it ends the day before it starts."""
    _raise(rule_version_errors(subsidy_type, valid_from, valid_to, source, parameters))
    assert valid_from is not None
    with transaction.atomic():
        previous = list(
            QualificationRule.objects.select_for_update().filter(
                subsidy_type=subsidy_type, valid_to__isnull=True, valid_from__lt=valid_from
            )
        )
        for rule in previous:
            rule.valid_to = valid_from - datetime.timedelta(days=1)
            rule.save(update_fields=["valid_to", "updated_at"])
        number = (QualificationRule.objects.filter(subsidy_type=subsidy_type).aggregate(n=Max("version"))["n"] or 0) + 1
        rule = QualificationRule.objects.create(
            subsidy_type=subsidy_type,
            version=number,
            valid_from=valid_from,
            valid_to=valid_to,
            source=source.strip(),
            source_text=source_text.strip(),
            parameters=parameters,
        )
        if actor is not None:
            record(actor, Action.CREATE, f"kvalificeringsregel {subsidy_type} v{number}", None)
    return rule


# --- eligibility facts and evaluation -----------------------------------------------------------------


def _person_for_facts(user: User, actor: Actor, person_id: int, what: str, action: str) -> Person:
    person = Person.objects.filter(pk=person_id).first() if person_id else None
    if person is None:
        record(actor, action, what, None, allowed=False)
        raise AccessDenied()
    if not check_person(user, person).allowed:
        record(actor, action, what, person.pk, allowed=False, protected=person.is_protected)
        raise AccessDenied()
    if not rules.may("record_eligibility_facts", user.role):
        record(actor, action, what, person.pk, allowed=False, protected=person.is_protected)
        raise PermissionDenied(_("Du har inte behörighet att hantera uppgifter för anställningsstöd."))
    return person


def open_facts(user: User, actor: Actor, person_id: int, what: str) -> Person:
    """The person whose eligibility facts `user` is about to read, with the read audited once.

    Every check comes before the entry: no person, no relation or a role that does not handle
    subsidies is written as refused (AccessDenied / PermissionDenied), and only a read that is
    answered is written as allowed. Never "allowed" followed by a 403 (issue 8 item 10)."""
    person = _person_for_facts(user, actor, person_id, what, Action.READ)
    record(actor, Action.READ, what, person.pk, protected=person.is_protected)
    return person


def facts_of(person: Person) -> EligibilityFacts:
    return EligibilityFacts.objects.filter(person=person).first() or EligibilityFacts(person=person)


def save_facts(
    user: User,
    actor: Actor,
    person_id: int,
    *,
    version: int | None,
    registered_at_af: bool | None,
    establishment_programme: bool | None,
    job_guarantee: bool | None,
    newly_arrived: bool | None,
    residence_permit_on: datetime.date | None,
    youth_guarantee_days: int | None,
    today: datetime.date | None = None,
) -> EligibilityFacts:
    today = today or timezone.localdate()
    what = f"kvalificeringsuppgifter person {person_id}"
    person = _person_for_facts(user, actor, person_id, what, Action.CHANGE)
    errors: rules.Errors = {}
    if residence_permit_on is not None and not rules.DATE_MIN <= residence_permit_on <= today:
        rules.add_error(errors, "residence_permit_on", _("Ange ett datum mellan år 2000 och i dag."))
    if youth_guarantee_days is not None and not 0 <= youth_guarantee_days <= 5000:
        rules.add_error(errors, "youth_guarantee_days", _("Ange ett antal dagar mellan 0 och 5000."))
    _raise(errors)
    values = {
        "registered_at_af": registered_at_af,
        "establishment_programme": establishment_programme,
        "job_guarantee": job_guarantee,
        "newly_arrived": newly_arrived,
        "residence_permit_on": residence_permit_on,
        "youth_guarantee_days": youth_guarantee_days,
        "updated_by": user,
    }
    with transaction.atomic():
        facts = EligibilityFacts.objects.filter(person=person).first()
        if facts is None:
            facts = EligibilityFacts.objects.create(person=person, **values)
        else:
            for name, value in values.items():
                setattr(facts, name, value)
            facts.updated_at = timezone.now()
            save_versioned(facts, version, [*values, "updated_at"])
        timeline.append(
            kind="eligibility_facts_changed",
            text=_("Uppgifter för kvalificering till anställningsstöd ändrades."),
            author=user,
            person=person,
        )
        record(actor, Action.CHANGE, what, person.pk, protected=person.is_protected)
    return facts


def save_history(
    user: User, actor: Actor, person_id: int, months: dict[datetime.date, str | None], today: datetime.date | None = None
) -> int:
    """Set the person's labour-market history month by month; None (or "") clears a month. Returns rows changed."""
    today = today or timezone.localdate()
    what = f"arbetsmarknadshistorik person {person_id}"
    person = _person_for_facts(user, actor, person_id, what, Action.CHANGE)
    errors: rules.Errors = {}
    current = rules.first_of_month(today)
    for month, kind in months.items():
        if month.day != 1 or not rules.DATE_MIN <= month <= current:
            rules.add_error(
                errors, "months", _("%(month)s är inte en månad mellan år 2000 och i dag.") % {"month": month.isoformat()}
            )
        elif kind and kind not in MonthKind.values:
            rules.add_error(errors, "months", _("Okänd situation för %(month)s.") % {"month": rules.month_label(month)})
    _raise(errors)
    changed = 0
    with transaction.atomic():
        existing = {m.month: m for m in LabourMarketMonth.objects.filter(person=person, month__in=list(months))}
        for month, kind in months.items():
            row = existing.get(month)
            if not kind:
                if row is not None:
                    LabourMarketMonth.objects.filter(pk=row.pk).delete()
                    changed += 1
            elif row is None:
                LabourMarketMonth.objects.create(person=person, month=month, kind=kind, recorded_by=user)
                changed += 1
            elif row.kind != kind:
                row.kind, row.recorded_by = kind, user
                row.save(update_fields=["kind", "recorded_by", "updated_at"])
                changed += 1
        if changed:
            timeline.append(
                kind="labour_market_history_changed",
                text=_("Arbetsmarknadshistoriken ändrades (%(n)s månader).") % {"n": changed},
                author=user,
                person=person,
            )
        record(actor, Action.CHANGE, what, person.pk, protected=person.is_protected)
    return changed


def documentation_hook() -> tuple[Any, Any] | None:
    """The disability registration's hooks (issue 4 part 5), when that module is installed:
    (`disabilities.selectors.documentation_status(person, on_date)`, `disabilities.selectors.can_see(user, person)`)."""
    try:
        from jobbtorg.disabilities import selectors as disability_selectors
    except ImportError:
        return None
    status_of = getattr(disability_selectors, "documentation_status", None)
    if status_of is None:
        return None
    return status_of, getattr(disability_selectors, "can_see", None)


HIDDEN = "hidden"


def disability_documentation(person: Person, on: datetime.date, user: User | None = None) -> str | None:
    """ "valid", "expired", "missing"; "hidden" when `user` lacks the health relation (only the person's
    coach and OSA officer see disability data); None when the disability registration is not installed."""
    hook = documentation_hook()
    if hook is None:
        return None
    status_of, can_see = hook
    if user is not None and can_see is not None and not can_see(user, person):
        return HIDDEN
    return interpret_documentation(status_of(person, on))


def interpret_documentation(result: Any) -> str | None:
    """Accept what documentation_status returns: a mapping code → status/bool, or items with `valid`/`status`."""
    if result is None:
        return None
    items = list(result.values()) if isinstance(result, dict) else list(result)
    if not items:
        return "missing"

    def valid(item: Any) -> bool:
        if isinstance(item, bool):
            return item
        if isinstance(item, str):
            return item == "valid"
        if isinstance(item, dict):
            return bool(item.get("valid")) or item.get("status") == "valid"
        return bool(getattr(item, "valid", False)) or getattr(item, "status", "") == "valid"

    return "valid" if any(valid(i) for i in items) else "expired"


def facts_for(person: Person, on: datetime.date, user: User | None = None) -> rules.Facts:
    stored = EligibilityFacts.objects.filter(person=person).first()
    recorded = {m.month: m.kind for m in LabourMarketMonth.objects.filter(person=person)}
    enrolments = [
        (arrived, closed)
        for arrived, closed in Participation.objects.filter(person=person, arrived_on__isnull=False).values_list(
            "arrived_on", "closed_on"
        )
        if arrived is not None
    ]
    months, own = rules.with_jobbtorg_months(recorded, enrolments, on)
    registered = stored.registered_at_af if stored else None
    if registered is None:
        # Fall back on the participation's own answer (recorded at enrolment, DOMAIN §4.2).
        registered = (
            Participation.objects.filter(person=person, status__in=OPEN_STATUSES).values_list("af_registered", flat=True).first()
        )
    return rules.Facts(
        birth_date=person.birth_date,
        registered_at_af=registered,
        establishment_programme=stored.establishment_programme if stored else None,
        job_guarantee=stored.job_guarantee if stored else None,
        newly_arrived=stored.newly_arrived if stored else None,
        residence_permit_on=stored.residence_permit_on if stored else None,
        youth_guarantee_days=stored.youth_guarantee_days if stored else None,
        months=months,
        jobbtorg_months=own,
        disability_documentation=disability_documentation(person, on, user),
    )


def evaluation_of(person: Person, subsidy_type: str, on: datetime.date) -> rules.Evaluation:
    """The evaluation as another service's check (the subsidy decision): that service authorised and audits
    its own action, so this reads without an audit entry of its own. Disability data is not hidden here:
    the result's text goes no further than the refusal to the coach of the case."""
    return rules.evaluate(rule_for(subsidy_type, on), subsidy_type, facts_for(person, on), on)


def evaluate_for(
    user: User, actor: Actor, person_id: int, subsidy_type: str, on: datetime.date | None = None
) -> rules.Evaluation:
    """Evaluate a person against the rule valid on `on` (default today); the reading is audited."""
    on = on or timezone.localdate()
    what = f"kvalificering {subsidy_type} person {person_id}"
    if subsidy_type not in SubsidyType.values:
        raise DomainError({"subsidy_type": [_("Välj en stödform.")]})
    if not rules.DATE_MIN <= on <= rules.DATE_MAX:
        raise DomainError({"on": [_("Ange ett datum mellan år 2000 och 2100.")]})
    person = _person_for_facts(user, actor, person_id, what, Action.READ)
    record(actor, Action.READ, what, person.pk, protected=person.is_protected)
    return rules.evaluate(rule_for(subsidy_type, on), subsidy_type, facts_for(person, on, user), on)
