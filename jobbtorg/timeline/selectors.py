"""Reading a person's timeline for the person page: newest first, filtered by kind group,
50 entries a page, with corrections and objections in a fixed number of queries.

The caller has opened the person through `access.services.open_person` (which checks the
relation and writes the READ audit entry); these functions only read.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jobbtorg.accounts.models import Role, User
from jobbtorg.core.capabilities import holds, may
from jobbtorg.participations import rules as participation_rules
from jobbtorg.participations.models import Participation
from jobbtorg.people.models import Person
from jobbtorg.timeline.kinds import EventKind
from jobbtorg.timeline.models import Objection, TimelineEntry

PAGE_SIZE = 50

CORRECTION_KIND = EventKind.ENTRY_CORRECTED

# Who reads the timeline (the case file). Provider staff and matchers see the person's
# activities and plan where their task needs them, not the whole case file.


@dataclass(frozen=True)
class KindGroup:
    key: str
    label: object  # lazy translation
    prefixes: tuple[str, ...]  # an entry's kind starts with one of these


# Groups for the filter, by the event name's first part (subject_action_outcome).
GROUPS: tuple[KindGroup, ...] = (
    KindGroup(
        "inskrivning",
        _("Anvisning och inskrivning"),
        ("referral_", "appointment_", "coach_", "participant_", "information_", "af_registration", "job_guarantee"),
    ),
    KindGroup("anteckning", _("Journalanteckningar"), ("note_",)),
    KindGroup("kartlaggning", _("Kartläggning"), ("assessment_",)),
    KindGroup("plan", _("Aktivitetsplan"), ("plan_",)),
    KindGroup("insatser", _("Insatser och närvaro"), ("activity_", "sessions_", "attendance_", "deviation_")),
    KindGroup("avbrott", _("Avbrott, avslut och uppföljning"), ("participation_", "followup_")),
    KindGroup(
        "stod", _("Anställningsstöd"), ("subsidy_", "eligibility_", "labour_market_", "osa_", "disability_")
    ),
)
GROUPS_BY_KEY = {g.key: g for g in GROUPS}
OTHER_LABEL = _("Övrigt")


def group_of(kind: str) -> KindGroup | None:
    for group in GROUPS:
        if kind.startswith(group.prefixes):
            return group
    return None


def _kind_q(group: KindGroup, prefix: str = "") -> Q:
    q = Q()
    for start in group.prefixes:
        q |= Q(**{f"{prefix}kind__startswith": start})
    return q


def entries(person: Person, group: str = "") -> QuerySet[TimelineEntry]:
    """Every entry of the person (all participations), newest first; with `group`, only that
    group's entries and the corrections of them."""
    qs = TimelineEntry.objects.filter(person=person)
    if group in GROUPS_BY_KEY:
        g = GROUPS_BY_KEY[group]
        qs = qs.filter(_kind_q(g) | (Q(kind=CORRECTION_KIND) & _kind_q(g, "corrects__")))
    return (
        # The author's own organisation is shown on each entry (issue 10 item 7): one join each, no N+1.
        qs.select_related("corrects", "participation__unit", "author__jobbtorg_unit", "author__district", "author__provider")
        .prefetch_related(
            Prefetch("objections", queryset=Objection.objects.order_by("recorded_at", "id")),
            Prefetch(
                "corrections",
                queryset=TimelineEntry.objects.only("id", "corrects_id", "occurred_on", "author_name").order_by(
                    "recorded_at", "id"
                ),
            ),
        )
        .order_by("-occurred_on", "-recorded_at", "-id")
    )


def page(person: Person, group: str, number: str | int | None) -> Page:
    """One page of the timeline: a count, the page, and two prefetches."""
    result = Paginator(entries(person, group), PAGE_SIZE).get_page(number)
    result.object_list = list(result.object_list)
    return result


def note_participation(user: User, person: Person) -> Participation | None:
    """The participation a new case note goes on: the person's latest one the user does casework
    on (timeline.write_note); None when there is none. One query."""
    if not holds(user, "timeline.write_note"):
        return None
    for participation in Participation.objects.filter(person=person).order_by("-referred_on", "-id"):
        if may(user, "timeline.write_note", **participation_rules.facts(participation)):
            return participation
    return None


def may_read(user: User) -> bool:
    return holds(user, "timeline.read")


def coach_participation_ids(user: User, person: Person) -> set[int]:
    """Participations of the person where `user` is the coach: where they may correct entries
    and record the participant's objections."""
    if not holds(user, "timeline.annotate"):
        return set()
    return set(Participation.objects.filter(person=person, coach=user).values_list("pk", flat=True))


# The district's own entries (its decisions, acknowledgements, referrals) are the district's
# record: the Jobbtorg does not correct them, though the participant may object to them.
DISTRICT_AUTHOR_ROLES = {Role.SOCIAL_WORKER, Role.OSA_OFFICER}


def may_correct(user: User, entry: TimelineEntry, coach_of: set[int]) -> bool:
    return may_annotate(user, entry, coach_of) and entry.author_role not in DISTRICT_AUTHOR_ROLES


def may_annotate(user: User, entry: TimelineEntry, coach_of: set[int]) -> bool:
    """The coach of the entry's participation (or, for an entry on the person only, the coach of
    any of the person's participations) may add a correction or an objection."""
    if entry.participation_id is None:
        return bool(coach_of)
    return entry.participation_id in coach_of

