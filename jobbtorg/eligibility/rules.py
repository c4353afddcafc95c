"""Pure rules of eligibility for the employment subsidies (DOMAIN §18). No ORM here.

Qualification rules are data: each `QualificationRule` row (a version with validity dates)
holds `paths` — alternative routes to the subsidy, each a set of conditions that must all
hold — and `limits`. `evaluate` takes one version as plain data (`RuleVersion`) and the
person's `Facts`, and answers ELIGIBLE, NOT_ELIGIBLE or UNKNOWN with reasons. The §18
defaults are version 1 of each type, loaded by the data migration (the one source; tests
read the loaded rows).
"""

import calendar
import datetime
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from jobbtorg.accounts.models import Role
from jobbtorg.accounts.rules import EVERY_ROLE, PERSON_ROLES, every
from jobbtorg.core.capabilities import ALL, CapabilityTable
from jobbtorg.core.workdays import add_months
from jobbtorg.eligibility.models import MonthKind, SubsidyType

Errors = dict[str, list[str]]

DATE_MIN = datetime.date(2000, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)


# Who may do what with a person's eligibility, beyond seeing the person (access.policy).
# "city": not bound to a unit; the relation to the person is what access.policy checks.
CAPABILITIES: CapabilityTable = {
    # The person's eligibility page and facts: reached by every role that works with persons; the
    # service asks access.sections (SUBSIDIES) per person and audits a refusal against the person.
    "read": every(PERSON_ROLES),
    # Facts and labour-market history are the coach's work (and the unit manager's), city-wide.
    "record_eligibility_facts": {Role.COACH: ALL, Role.UNIT_MANAGER: ALL},
    "check_eligibility": {Role.COACH: ALL, Role.UNIT_MANAGER: ALL},
    # The qualification rules are public reference data; a new version is the administrator's.
    "read_rules": every(EVERY_ROLE),
    "add_rule_version": {Role.SYSADMIN: ALL},
}


def may(capability: str, role: str) -> bool:
    """Role-level: does `role` hold `capability` of this table (every row here is city-wide)?"""
    return CAPABILITIES[capability].get(role) is not None


def add_error(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def max_months_per_decision(parameters: dict[str, Any]) -> int | None:
    """The ordinance's longest decision period, from the rule row's limits (DOMAIN §18): each
    nystartsjobb and introduktionsjobb decision at most 12 months; yrkesintroduktion's support at
    most 12 months in all, so also per decision. None when the rule data states none (lönebidrag)."""
    limits = parameters.get("limits") or {}
    for key in ("max_months_per_decision", "max_support_months"):
        value = limits.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None


class Outcome(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    UNKNOWN = "unknown"


OUTCOME_LABELS = {
    Outcome.ELIGIBLE: gettext_lazy("Uppfyller villkoren"),
    Outcome.NOT_ELIGIBLE: gettext_lazy("Uppfyller inte villkoren"),
    Outcome.UNKNOWN: gettext_lazy("Går inte att avgöra – uppgifter saknas"),
}

# Month kinds that count as qualifying time unless a rule says otherwise (förordning 2018:43).
DEFAULT_COUNTED = [MonthKind.UNEMPLOYED, MonthKind.PROGRAMME, MonthKind.SOCIAL_ASSISTANCE, MonthKind.SICKNESS]
DEFAULT_DISREGARDED = [MonthKind.PARENTAL_LEAVE]
MAX_MONTHS_BACK = 120

CONDITION_KEYS: dict[str, type] = {
    "age_min": int,
    "age_max": int,
    "registered_at_af": bool,
    "establishment_programme": bool,
    "job_guarantee": bool,
    "months_required": int,
    "months_window": int,
    "residence_permit_within_months": int,
    "youth_guarantee_days_min": int,
    "disability_documented": bool,
}


def parameter_errors(parameters: Any) -> list[str]:
    """Check a rule's parameters before it is saved (admin and API). Swedish messages."""
    if not isinstance(parameters, dict):
        return [_("Parametrarna ska vara ett JSON-objekt.")]
    errors: list[str] = []
    paths = parameters.get("paths")
    if not isinstance(paths, list) or not paths:
        errors.append(_("Ange minst en väg till rätt till stöd under ”paths”."))
        paths = []
    for i, path in enumerate(paths, start=1):
        if not isinstance(path, dict) or not isinstance(path.get("label"), str) or not path.get("label", "").strip():
            errors.append(_("Väg %(n)s: ange en benämning (”label”).") % {"n": i})
            continue
        conditions = path.get("conditions")
        if not isinstance(conditions, dict) or not conditions:
            errors.append(_("Väg %(n)s: ange minst ett villkor (”conditions”).") % {"n": i})
            continue
        for key, value in conditions.items():
            expected = CONDITION_KEYS.get(key)
            if expected is None:
                errors.append(_("Väg %(n)s: okänt villkor ”%(key)s”.") % {"n": i, "key": key})
            elif expected is bool and value is not True:
                errors.append(_("Väg %(n)s: villkoret ”%(key)s” ska vara true.") % {"n": i, "key": key})
            elif expected is int and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1000):
                errors.append(_("Väg %(n)s: ”%(key)s” ska vara ett heltal 0–1000.") % {"n": i, "key": key})
        if ("months_required" in conditions) != ("months_window" in conditions):
            errors.append(_("Väg %(n)s: ange både ”months_required” och ”months_window”.") % {"n": i})
        elif "months_required" in conditions and not errors:
            if conditions["months_required"] > conditions["months_window"] or conditions["months_window"] > 60:
                errors.append(_("Väg %(n)s: antal månader kan inte vara fler än perioden (högst 60).") % {"n": i})
        if "age_min" in conditions and "age_max" in conditions and not errors:
            if conditions["age_min"] > conditions["age_max"]:
                errors.append(_("Väg %(n)s: lägsta ålder är högre än högsta ålder.") % {"n": i})
    for key in ("counted_kinds", "disregarded_kinds"):
        kinds = parameters.get(key)
        if kinds is not None and (not isinstance(kinds, list) or any(k not in MonthKind.values for k in kinds)):
            errors.append(
                _("”%(key)s” ska vara en lista med månadstyper: %(kinds)s.") % {"key": key, "kinds": ", ".join(MonthKind.values)}
            )
    limits = parameters.get("limits", {})
    if not isinstance(limits, dict):
        errors.append(_("”limits” ska vara ett JSON-objekt."))
    return errors


def periods_overlap(a_from: datetime.date, a_to: datetime.date | None, b_from: datetime.date, b_to: datetime.date | None) -> bool:
    return (b_to is None or a_from <= b_to) and (a_to is None or b_from <= a_to)


@dataclass(frozen=True)
class RuleVersion:
    """A qualification rule row as plain data (so the evaluation needs no ORM)."""

    subsidy_type: str
    version: int
    valid_from: datetime.date
    valid_to: datetime.date | None
    source: str
    parameters: dict[str, Any]


def rule_valid_on(rules: list[RuleVersion], subsidy_type: str, on: datetime.date) -> RuleVersion | None:
    """The rule version in force on `on` (the newest version if two were ever left overlapping)."""
    valid = [
        r for r in rules if r.subsidy_type == subsidy_type and r.valid_from <= on and (r.valid_to is None or on <= r.valid_to)
    ]
    return max(valid, key=lambda r: (r.valid_from, r.version), default=None)


@dataclass
class Facts:
    """What is known about the person on the evaluation date. None means "not recorded"."""

    birth_date: datetime.date
    registered_at_af: bool | None = None
    establishment_programme: bool | None = None
    job_guarantee: bool | None = None
    newly_arrived: bool | None = None
    residence_permit_on: datetime.date | None = None
    youth_guarantee_days: int | None = None
    months: dict[datetime.date, str] = field(default_factory=dict)  # first of month → MonthKind
    # Months the person spent enrolled at a Jobbtorg that the coach recorded nothing else for: they are in
    # `months` as PROGRAMME (with_jobbtorg_months) and named in the reasons.
    jobbtorg_months: frozenset[datetime.date] = frozenset()
    disability_documentation: str | None = None  # "valid" | "expired" | "missing" | "hidden" | None (not known)


@dataclass
class Condition:
    key: str
    met: bool | None
    text: str


@dataclass
class PathResult:
    label: str
    outcome: Outcome
    conditions: list[Condition]

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS[self.outcome])


@dataclass
class MonthCount:
    month: datetime.date
    kind: str | None
    counted: bool
    disregarded: bool = False


@dataclass
class Evaluation:
    subsidy_type: str
    on: datetime.date
    outcome: Outcome
    rule: RuleVersion | None
    paths: list[PathResult]
    reasons: list[str]
    missing: list[str]
    months: list[MonthCount]

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS[self.outcome])

    @property
    def type_label(self) -> str:
        return str(SubsidyType(self.subsidy_type).label)


# The labels of the §18 default paths (rule data, loaded by the migration), marked so the catalogue holds
# them: a label is shown in the reader's language when the catalogue knows it, as written otherwise.
DEFAULT_PATH_LABELS = [
    gettext_noop("25 år eller äldre, 12 av de senaste 15 månaderna"),
    gettext_noop("20–24 år, 6 av de senaste 9 månaderna"),
    gettext_noop("Nyanländ 20 år eller äldre i etableringsprogrammet"),
    gettext_noop("Nyanländ 20 år eller äldre, 6 av 9 månader och uppehållstillstånd inom 36 månader"),
    gettext_noop("Jobb- och utvecklingsgarantin, 20 år eller äldre"),
    gettext_noop("Jobb- och utvecklingsgarantin"),
    gettext_noop("20 år eller äldre med minst 200 ersättningsdagar i jobbgarantin för ungdomar"),
    gettext_noop("Nyanländ 20 år eller äldre (uppehållstillstånd inom 36 månader)"),
    gettext_noop("15–24 år"),
    gettext_noop("Dokumenterad funktionsnedsättning med nedsatt arbetsförmåga"),
]


def path_label(path: dict[str, Any]) -> str:
    label = str(path.get("label", ""))
    return _(label) if label else ""


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def age_on(birth_date: datetime.date, on: datetime.date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def month_label(month: datetime.date) -> str:
    return f"{month:%Y-%m}"


def count_months(
    months: dict[datetime.date, str], on: datetime.date, window: int, counted: list[str], disregarded: list[str]
) -> tuple[list[MonthCount], list[MonthCount]]:
    """The last `window` full calendar months before the month of `on`, extended further back by every
    disregarded month (time at home with a child under 2). Returns (window months, disregarded months)."""
    in_window: list[MonthCount] = []
    skipped: list[MonthCount] = []
    current = add_months(first_of_month(on), -1)
    steps = 0
    while len(in_window) < window and steps < MAX_MONTHS_BACK:
        kind = months.get(current)
        if kind in disregarded:
            skipped.append(MonthCount(current, kind, counted=False, disregarded=True))
        else:
            in_window.append(MonthCount(current, kind, counted=kind in counted))
        current = add_months(current, -1)
        steps += 1
    return in_window, skipped


def jobbtorg_months(periods: list[tuple[datetime.date, datetime.date | None]], on: datetime.date) -> set[datetime.date]:
    """The full calendar months before the month of `on` that the person spent enrolled at a Jobbtorg:
    `periods` are (arrived_on, closed_on or None) of the participations. A month counts when the
    enrolment covers all of it (the seed's "på heltid" read as the whole month)."""
    current = first_of_month(on)
    found: set[datetime.date] = set()
    for arrived, closed in periods:
        month = first_of_month(arrived) if arrived.day == 1 else add_months(first_of_month(arrived), 1)
        month = max(month, add_months(current, -MAX_MONTHS_BACK))
        while month < current:
            if closed is not None and closed < last_day_of_month(month):
                break
            found.add(month)
            month = add_months(month, 1)
    return found


def with_jobbtorg_months(
    recorded: dict[datetime.date, str], periods: list[tuple[datetime.date, datetime.date | None]], on: datetime.date
) -> tuple[dict[datetime.date, str], frozenset[datetime.date]]:
    """The history with the person's own Jobbtorg months counted as a labour-market programme (the Jobbtorg is
    the city's labour-market programme, DOMAIN §4): a month the coach recorded stays as recorded."""
    own = {m for m in jobbtorg_months(periods, on) if m not in recorded}
    return {**{m: str(MonthKind.PROGRAMME) for m in own}, **recorded}, frozenset(own)


def _age_condition(facts: Facts, on: datetime.date, lo: int | None, hi: int | None) -> Condition:
    age = age_on(facts.birth_date, on)
    if lo is not None and hi is not None:
        need = _("%(lo)s–%(hi)s år") % {"lo": lo, "hi": hi}
    elif lo is not None:
        need = _("%(lo)s år eller äldre") % {"lo": lo}
    else:
        need = _("högst %(hi)s år") % {"hi": hi}
    met = (lo is None or age >= lo) and (hi is None or age <= hi)
    return Condition(
        "age", met, _("Ålder %(age)s år den %(on)s (krav: %(need)s).") % {"age": age, "on": on.isoformat(), "need": need}
    )


def _flag_condition(key: str, value: bool | None, yes: str, no: str, unknown: str) -> Condition:
    if value is None:
        return Condition(key, None, unknown)
    return Condition(key, bool(value), yes if value else no)


def _months_condition(
    facts: Facts, on: datetime.date, required: int, window: int, params: dict[str, Any]
) -> tuple[Condition, list[MonthCount]]:
    counted_kinds = params.get("counted_kinds") or [str(k) for k in DEFAULT_COUNTED]
    disregarded_kinds = params.get("disregarded_kinds") or [str(k) for k in DEFAULT_DISREGARDED]
    in_window, skipped = count_months(facts.months, on, window, counted_kinds, disregarded_kinds)
    n_counted = sum(1 for m in in_window if m.counted)
    missing = [m for m in in_window if m.kind is None]
    first, last = (in_window[-1].month, in_window[0].month) if in_window else (on, on)
    text = _(
        "%(counted)s av de senaste %(window)s månaderna (%(first)s–%(last)s) räknas som arbetslöshet, program, "
        "försörjningsstöd eller sjukersättning (krav: minst %(required)s)."
    ) % {"counted": n_counted, "window": window, "first": month_label(first), "last": month_label(last), "required": required}
    if skipped:
        text += " " + _("%(n)s månad(er) hemma med barn under 2 år räknas bort och perioden förlängs bakåt (%(months)s).") % {
            "n": len(skipped),
            "months": ", ".join(month_label(m.month) for m in skipped),
        }
    own = [m for m in in_window if m.month in facts.jobbtorg_months and m.counted]
    if own:
        text += " " + _("%(n)s av dem är månader inskriven på Jobbtorg, som räknas som program.") % {"n": len(own)}
    if n_counted >= required:
        met: bool | None = True
    elif n_counted + len(missing) < required:
        met = False
    else:
        met = None
        text += " " + _("Historik saknas för %(months)s.") % {"months": ", ".join(month_label(m.month) for m in missing)}
    return Condition("months", met, text), in_window + skipped


def evaluate(rule: RuleVersion | None, subsidy_type: str, facts: Facts, on: datetime.date) -> Evaluation:
    """ELIGIBLE when any path of the rule has every condition met; NOT_ELIGIBLE when every path has a
    condition that fails; otherwise UNKNOWN, with the data that is missing. Always with reasons."""
    if rule is None:
        return Evaluation(
            subsidy_type,
            on,
            Outcome.UNKNOWN,
            None,
            [],
            [
                _("Det finns ingen kvalificeringsregel för %(type)s som gäller %(on)s.")
                % {"type": SubsidyType(subsidy_type).label, "on": on.isoformat()}
            ],
            [_("kvalificeringsregel")],
            [],
        )
    params = rule.parameters
    paths: list[PathResult] = []
    months_seen: dict[datetime.date, MonthCount] = {}
    for path in params.get("paths", []):
        conds = path.get("conditions", {})
        results: list[Condition] = []
        if "age_min" in conds or "age_max" in conds:
            results.append(_age_condition(facts, on, conds.get("age_min"), conds.get("age_max")))
        if conds.get("registered_at_af"):
            results.append(
                _flag_condition(
                    "registered_at_af",
                    facts.registered_at_af,
                    _("Inskriven som arbetssökande på Arbetsförmedlingen."),
                    _("Inte inskriven som arbetssökande på Arbetsförmedlingen."),
                    _("Uppgift saknas om inskrivning på Arbetsförmedlingen."),
                )
            )
        if conds.get("establishment_programme"):
            results.append(
                _flag_condition(
                    "establishment_programme",
                    facts.establishment_programme,
                    _("Deltar i etableringsprogrammet."),
                    _("Deltar inte i etableringsprogrammet."),
                    _("Uppgift saknas om etableringsprogrammet."),
                )
            )
        if conds.get("job_guarantee"):
            results.append(
                _flag_condition(
                    "job_guarantee",
                    facts.job_guarantee,
                    _("Deltar i jobb- och utvecklingsgarantin."),
                    _("Deltar inte i jobb- och utvecklingsgarantin."),
                    _("Uppgift saknas om jobb- och utvecklingsgarantin."),
                )
            )
        if "months_required" in conds:
            cond, counted = _months_condition(facts, on, conds["months_required"], conds["months_window"], params)
            results.append(cond)
            for m in counted:
                months_seen.setdefault(m.month, m)
        if "residence_permit_within_months" in conds:
            limit = conds["residence_permit_within_months"]
            if facts.residence_permit_on is not None:
                since = add_months(on, -limit)
                met = since <= facts.residence_permit_on <= on
                results.append(
                    Condition(
                        "residence_permit",
                        met,
                        _("Uppehållstillstånd %(date)s (krav: inom de senaste %(months)s månaderna, från %(since)s).")
                        % {"date": facts.residence_permit_on.isoformat(), "months": limit, "since": since.isoformat()},
                    )
                )
            elif facts.newly_arrived is False:
                results.append(Condition("residence_permit", False, _("Inte nyanländ.")))
            else:
                results.append(Condition("residence_permit", None, _("Datum för uppehållstillstånd saknas.")))
        if "youth_guarantee_days_min" in conds:
            need = conds["youth_guarantee_days_min"]
            if facts.youth_guarantee_days is None:
                results.append(
                    Condition("youth_guarantee_days", None, _("Antal ersättningsdagar i jobbgarantin för ungdomar saknas."))
                )
            else:
                results.append(
                    Condition(
                        "youth_guarantee_days",
                        facts.youth_guarantee_days >= need,
                        _("%(days)s ersättningsdagar i jobbgarantin för ungdomar (krav: minst %(need)s).")
                        % {"days": facts.youth_guarantee_days, "need": need},
                    )
                )
        if conds.get("disability_documented"):
            doc = facts.disability_documentation
            if doc == "valid":
                results.append(
                    Condition(
                        "disability",
                        True,
                        _("Funktionsnedsättning med nedsatt arbetsförmåga är dokumenterad och underlaget är aktuellt."),
                    )
                )
            elif doc == "expired":
                results.append(
                    Condition("disability", None, _("Underlaget om funktionsnedsättning är inaktuellt och behöver kompletteras."))
                )
            elif doc == "hidden":
                results.append(
                    Condition(
                        "disability",
                        None,
                        _("Uppgift om funktionsnedsättning visas bara för personens coach och OSA-handläggare."),
                    )
                )
            elif doc == "missing":
                results.append(
                    Condition("disability", False, _("Ingen dokumenterad funktionsnedsättning med nedsatt arbetsförmåga."))
                )
            else:
                results.append(Condition("disability", None, _("Uppgift saknas om dokumenterad funktionsnedsättning.")))
        if any(c.met is False for c in results):
            outcome = Outcome.NOT_ELIGIBLE
        elif all(c.met is True for c in results):
            outcome = Outcome.ELIGIBLE
        else:
            outcome = Outcome.UNKNOWN
        paths.append(PathResult(path_label(path), outcome, results))

    eligible = [p for p in paths if p.outcome == Outcome.ELIGIBLE]
    unknown = [p for p in paths if p.outcome == Outcome.UNKNOWN]
    reasons: list[str] = []
    missing: list[str] = []
    if eligible:
        outcome = Outcome.ELIGIBLE
        reasons.append(_("Uppfyller villkoren för: %(path)s.") % {"path": eligible[0].label})
        reasons += [c.text for c in eligible[0].conditions]
    elif unknown:
        outcome = Outcome.UNKNOWN
        for p in unknown:
            for c in p.conditions:
                if c.met is None:
                    reasons.append(f"{p.label}: {c.text}")
                    if c.text not in missing:
                        missing.append(c.text)
    else:
        outcome = Outcome.NOT_ELIGIBLE
        for p in paths:
            failed = next(c for c in p.conditions if c.met is False)
            reasons.append(f"{p.label}: {failed.text}")
    reasons.append(
        _("Regel: %(source)s, version %(version)s (gäller från %(from)s).")
        % {"source": rule.source, "version": rule.version, "from": rule.valid_from.isoformat()}
    )
    months = sorted(months_seen.values(), key=lambda m: m.month, reverse=True)
    return Evaluation(subsidy_type, on, outcome, rule, paths, reasons, missing, months)


def month_choices(on: datetime.date, count: int = 24) -> list[datetime.date]:
    """The months a history form shows: the `count` full months before the month of `on`, newest first."""
    start = first_of_month(on)
    return [add_months(start, -i) for i in range(1, count + 1)]


def last_day_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
