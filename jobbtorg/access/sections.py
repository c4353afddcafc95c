"""Data minimisation per section of the person file (issue 8 item 7; DOMAIN §1, LEGAL.md).

`access.policy` decides *whether* a user sees a person at all (the relation). This module
decides *which parts* of a visible person's file the user's role sees: personal data in
social services may be processed only when it is needed for the task (lag 2001:454 6 §,
GDPR art. 5(1)(c) and art. 25), and social-services secrecy has a reverse harm test
(OSL 26 kap. 1 §). It is the one table that the person page, the participation page, the
subsidy pages and the API all ask (`may_see_section`, `visible_sections`,
`subsidy_case_q`); templates ask `sections.<name>`, never a role.

| section | what it holds | coach | unit mgr | social worker | OSA officer | matcher | provider |
| --- | --- | --- | --- | --- | --- | --- | --- |
| identity | name, personnummer, age, home district, Jobbtorg, coach, status, dates | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |
| contact | address, phone, e-mail (protected identity: named staff only, `policy.Decision`) | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |
| referral_basis | referral: referred by, target groups, basis, consent, legal ground | ✓ | ✓ | ✓ | ✓ | – | – |
| enrolment | deadlines, visits, enrolment checklist, interruptions and their reasons, 18-month clock | ✓ | ✓ | ✓ | ✓ | – | – |
| assessment | kartläggning (education, language, health, social situation) | ✓ | ✓ | ✓ | ✓ | – | – |
| plan | activity plan and its approval | ✓ | ✓ | ✓ | ✓ | ✓ | – |
| activities | activities and attendance (provider: its own activities only) | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |
| subsidies | subsidy cases (anställningsstöd) and their steps | ✓ | ✓ | – | lönebidrag | – | – |
| osa | OSA employment (`osa.access`: the responsible district's officer) | – | – | – | ✓ | – | – |
| disability | disability codes (`disabilities.access`: the health relation) | ✓ | – | – | ✓ | – | – |
| closure | closure outcome, post-closure follow-up (social-assistance reduction) | ✓ | ✓ | ✓ | ✓ | – | – |
| timeline | every event of the participations | ✓ | ✓ | ✓ | ✓ | – | – |

Analysts, HR and the system administrator see no person at all (`access.policy`).

Why, row by row:
- identity, contact: everyone with a relation must know whom they deal with and reach
  them (a provider calls about an absence, a matcher about a job); a protected identity's
  address stays with the named staff (LEGAL.md, protected identities).
- referral_basis: the district's reason for the referral, the target groups (social
  assistance, disability, addiction care, LSS ...) and the consent are social-services data
  exchanged between the district and the Jobbtorg under the consent (DOMAIN §3, §4.1). The
  provider needs the activity and its attendance, not why the person was referred
  (DOMAIN §1: "attendance and results"); the matcher works from the plan.
- enrolment: the coach's case work and the district's clocks (DOMAIN §4.2, §4.7);
  interruption reasons (illness, pregnancy) are health and family data.
- assessment: health and social situation (DOMAIN §4.3); joint instrument with the district.
- plan: the city's plan, approved by the district (DOMAIN §4.4); the matcher matches from it.
- activities: the provider records attendance (DOMAIN §6); `activities.selectors.shows_activity`
  narrows it to the provider's own activities.
- subsidies: a lönebidrag case implies reduced work capacity (DOMAIN §9, §18; GDPR art. 9).
  The coach runs the case, the unit manager follows it up (lönebidrag board); the district's
  OSA officer works with Arbetsförmedlingen on lönebidrag and OSA (DOMAIN §10, §15) and sees
  lönebidrag cases only. The social worker decides on assistance, not on subsidies; a
  provider or matcher has no task in them. Creating and changing a case stays with the coach
  and unit manager of the participation's unit (capability "subsidies.act").
- osa, disability: their own, narrower relations (`osa.access`, `disabilities.access`);
  this table is the outer bound.
- closure: the outcome (incl. wage subsidy) and the social-assistance reduction at 2 and 8
  months are followed up by the Jobbtorg with the district (DOMAIN §7).
- timeline: the whole file in time order, so only the district's and the Jobbtorg's roles;
  and on it, the events of a section the role does not see are left out (SECTION_EVENTS,
  `timeline_hidden_q`): the social worker sees no subsidy event, the unit manager no OSA event,
  the OSA officer the events of lönebidrag cases only.

A refused section is never read: the person page and the API leave it out, a subsidy case
of a refused section answers like a case that does not exist (404), and the refusal is in
the audit log (`refuse`).
"""

import enum
from typing import Any

from django.db.models import Q

from jobbtorg.accounts.models import Role, User
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core.errors import AccessDenied


class Section(enum.StrEnum):
    IDENTITY = "identity"
    CONTACT = "contact"
    REFERRAL_BASIS = "referral_basis"
    ENROLMENT = "enrolment"
    ASSESSMENT = "assessment"
    PLAN = "plan"
    ACTIVITIES = "activities"
    SUBSIDIES = "subsidies"
    OSA = "osa"
    DISABILITY = "disability"
    CLOSURE = "closure"
    TIMELINE = "timeline"


S = Section
_DISTRICT_AND_JOBBTORG = {S.IDENTITY, S.CONTACT, S.REFERRAL_BASIS, S.ENROLMENT, S.ASSESSMENT, S.PLAN, S.ACTIVITIES, S.CLOSURE,
                          S.TIMELINE}  # fmt: skip

# The table above, role → sections. Roles not named see no section.
TABLE: dict[str, frozenset[Section]] = {
    Role.COACH: frozenset(_DISTRICT_AND_JOBBTORG | {S.SUBSIDIES, S.DISABILITY}),
    Role.UNIT_MANAGER: frozenset(_DISTRICT_AND_JOBBTORG | {S.SUBSIDIES}),
    Role.SOCIAL_WORKER: frozenset(_DISTRICT_AND_JOBBTORG),
    Role.OSA_OFFICER: frozenset(_DISTRICT_AND_JOBBTORG | {S.SUBSIDIES, S.OSA, S.DISABILITY}),
    Role.MATCHER: frozenset({S.IDENTITY, S.CONTACT, S.PLAN, S.ACTIVITIES}),
    Role.PROVIDER_STAFF: frozenset({S.IDENTITY, S.CONTACT, S.ACTIVITIES}),
}

# Roles that see only some kinds of subsidy case (values of subsidies.models.SubsidyType;
# plain strings, so `access` does not import the subsidies app above it). Unnamed roles
# with the section see every kind.
SUBSIDY_TYPES: dict[str, frozenset[str]] = {
    Role.OSA_OFFICER: frozenset({"lonebidrag"}),
}

# Timeline events (kind prefixes, timeline.selectors' naming subject_action_outcome) that belong
# to a section: a role that does not see the section does not see its events on the timeline.
SECTION_EVENTS: dict[Section, tuple[str, ...]] = {
    S.REFERRAL_BASIS: ("referral_",),
    S.ASSESSMENT: ("assessment_",),
    S.PLAN: ("plan_",),
    S.SUBSIDIES: ("subsidy_", "eligibility_", "labour_market_"),
    S.OSA: ("osa_",),
    S.DISABILITY: ("disability_",),
    S.CLOSURE: ("followup_",),
}
# Events of the subsidy section that only the roles seeing every kind see (the eligibility facts
# and labour-market history are the coach's work, capability "eligibility.record_eligibility_facts").
SUBSIDY_ALL_KINDS_EVENTS = ("eligibility_", "labour_market_")
CORRECTION_KIND = "entry_corrected"  # timeline.selectors.CORRECTION_KIND

# Data group names for the audit log's `what`.
LABELS: dict[Section, str] = {
    S.IDENTITY: "identitet",
    S.CONTACT: "kontaktuppgifter",
    S.REFERRAL_BASIS: "anvisningsgrund",
    S.ENROLMENT: "inskrivning och tidsfrister",
    S.ASSESSMENT: "kartläggning",
    S.PLAN: "aktivitetsplan",
    S.ACTIVITIES: "insatser och närvaro",
    S.SUBSIDIES: "anställningsstöd",
    S.OSA: "OSA",
    S.DISABILITY: "funktionsnedsättning",
    S.CLOSURE: "avslut och uppföljning",
    S.TIMELINE: "tidslinje",
}


def _role(user: Any) -> str:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ""
    return getattr(user, "role", "") or ""


def sections_of(user: User) -> frozenset[Section]:
    return TABLE.get(_role(user), frozenset())


def may_see_section(user: User, section: Section | str, *, context: Any = None) -> bool:
    """May `user` see this section of a person they already see (access.policy)?

    `context` narrows it for one object: a subsidy case (or its type as a string) for
    SUBSIDIES. Without a context the answer is whether the role sees the section at all.
    """
    section = Section(section)
    role = _role(user)
    if section not in TABLE.get(role, frozenset()):
        return False
    if section == S.SUBSIDIES and context is not None and role in SUBSIDY_TYPES:
        kind = context if isinstance(context, str) else getattr(context, "subsidy_type", None)
        return kind in SUBSIDY_TYPES[role]
    return True


def visible_sections(user: User) -> dict[str, bool]:
    """For templates and serializers: `sections.referral_basis` etc., True or False for each."""
    mine = sections_of(user)
    return {s.value: s in mine for s in Section}


def subsidy_case_q(user: User, prefix: str = "") -> Q | None:
    """The subsidy cases `user`'s role may see, as a filter on SubsidyCase (or on rows reaching
    one through `prefix`, e.g. "case__"); None when the role sees none. Persons are narrowed
    separately by access.policy.visible_persons."""
    if not may_see_section(user, S.SUBSIDIES):
        return None
    kinds = SUBSIDY_TYPES.get(_role(user))
    return Q(**{f"{prefix}subsidy_type__in": sorted(kinds)}) if kinds is not None else Q()


def _prefixes_q(prefixes: tuple[str, ...], prefix: str = "") -> Q:
    q = Q()
    for start in prefixes:
        q |= Q(**{f"{prefix}kind__startswith": start})
    return q


def timeline_hidden_q(user: User, visible_case_ids: list[int] | None = None) -> Q | None:
    """Timeline entries of sections `user` does not see (and corrections of them), as a filter to
    exclude; None when nothing is hidden. `visible_case_ids`: the person's subsidy cases the user
    sees, for a role limited to some kinds (SUBSIDY_TYPES); events of other cases are hidden."""
    hidden: list[tuple[str, ...]] = [events for section, events in SECTION_EVENTS.items() if not may_see_section(user, section)]
    kinds_limited = may_see_section(user, S.SUBSIDIES) and _role(user) in SUBSIDY_TYPES
    if kinds_limited:
        hidden.append(SUBSIDY_ALL_KINDS_EVENTS)
    if not hidden and not kinds_limited:
        return None

    def of(prefix: str = "") -> Q:
        q = Q()
        for events in hidden:
            q |= _prefixes_q(events, prefix)
        if kinds_limited:
            q |= _prefixes_q(("subsidy_",), prefix) & ~Q(**{f"{prefix}data__subsidy_case__in": visible_case_ids or []})
        return q

    return of() | (Q(kind=CORRECTION_KIND) & of("corrects__"))


def refuse(actor: Actor, section: Section | str, what: str, person_id: int | None, *, protected: bool = False,
           action: str = Action.READ) -> None:
    """Audit a refused section: allowed=False, the data group in `what` (flagged for log review)."""
    record(actor, action, f"{what} · {LABELS[Section(section)]}", person_id, allowed=False, protected=protected)


def require_section(
    user: User,
    actor: Actor,
    section: Section | str,
    what: str,
    person_id: int | None,
    *,
    protected: bool = False,
    context: Any = None,
    action: str = Action.READ,
) -> None:
    """`may_see_section`, or audit the refusal and raise AccessDenied (the 404 a case that does
    not exist gets: a refused section does not even tell that the case exists)."""
    if not may_see_section(user, section, context=context):
        refuse(actor, section, what, person_id, protected=protected, action=action)
        raise AccessDenied()
