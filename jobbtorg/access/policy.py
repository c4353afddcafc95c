"""Need-based access (DOMAIN §1, LEGAL.md): may this user see this person?

The one place where access to a person is decided. Every view, API endpoint,
export and search calls `visible_persons` (lists) or `check_person` (one
person); nothing else filters people by role.

Rules (default deny):

| role | sees a person when | protected identity |
| --- | --- | --- |
| coach | an open (or recently closed) participation has them as coach (own caseload) | yes (direct) |
| coach | she is today the named substitute (vikarie) of the coach of such a participation at her unit | yes (stands in) |
| coach | she holds an unexpired emergency access (nödåtkomst, 24 h) to them at her unit | **no** |
| unit manager | an open (or recently closed) participation is at their Jobbtorg unit | no |
| social worker, OSA officer | the person's home district is their district | no |
| matcher | the person has an open participation at any Jobbtorg unit | no |
| provider staff | the person has an activity at their provider running today | no |
| analyst, HR, system administrator | never, not even when named (aggregates and pseudonymised extracts only) | never |
| any other role | also when explicitly named on the person (`Person.contact_grants`) | yes (direct) |

A coach no longer sees the rest of her unit (issue 8 item 6): a colleague's participant is
reached only as that colleague's substitute, or through emergency access, which she requests
with a stated reason, which lasts 24 hours, is flagged in the log review and is signed off by
the unit manager (access/services.py). Reads under emergency access are flagged too.

A person with a protected identity (sekretessmarkering, skyddad folkbokföring)
is visible only through a direct relation: the coach of their participation, the coach's
named substitute during the period, or staff explicitly named on the person. Unit-,
district-, matching- and provider-wide relations do not reach them, and neither does
emergency access: LEGAL.md says a protected person never appears in others' lists or
search results (so the unit search that offers emergency access can not show them) and
their data is secret where threats or violence can be expected; whoever needs to reach
them must be named on the person or made substitute by the unit manager, both of which
leave a trace with a responsible decision-maker. Address and contact details of a
protected person are shown only to the named staff.
"""
import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from jobbtorg.access.models import EmergencyAccess, Substitution
from jobbtorg.accounts.models import Role, User
from jobbtorg.core.capabilities import holds
from jobbtorg.participations.models import OPEN_STATUSES, Participation, Status
from jobbtorg.people.models import Person, ProtectionLevel

# A closed participation keeps its relations for this long: post-closure follow-up
# at 2 and 8 months (DOMAIN §7) needs the coach to reach the person.
CLOSED_RELATION_DAYS = 300

# Roles that never see an identity, not even when named on a person (the table above).
NO_PERSON_ROLES = {Role.ANALYST, Role.HR, Role.SYSADMIN}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    relation: str  # a short Swedish description of why, shown in log review
    see_contact_details: bool = False
    emergency: bool = False  # allowed only through emergency access: the entry is flagged for review


def participation_live(today: datetime.date) -> Q:
    """A participation that still carries relations: open, or closed within CLOSED_RELATION_DAYS."""
    cutoff = today - datetime.timedelta(days=CLOSED_RELATION_DAYS)
    return Q(status__in=OPEN_STATUSES) | Q(status=Status.CLOSED, closed_on__gte=cutoff)


# Each relation is a condition on the person's own columns or a correlated EXISTS, never a join
# and never `id IN (subquery)`: an OR across a multi-valued join can use no index and repeats
# persons, and an `IN (subquery)` under OR is evaluated by hashing the whole subquery (every
# participation of a unit) on each page view (bench/README.md, cause 4). A correlated EXISTS is
# one index probe (participations by person) for each row a list actually looks at.
def _exists(qs: QuerySet, person_field: str = "person_id") -> Q:
    """`EXISTS (… WHERE <person_field> = person.id)`: a correlated probe by index per person."""
    return Q(Exists(qs.filter(**{person_field: OuterRef("pk")})))


def direct_scope(user: User, today: datetime.date) -> Q | None:
    """People the user reaches through a personal relation (protected identities included)."""
    if user.role in NO_PERSON_ROLES:
        return None
    direct = _exists(Person.contact_grants.through.objects.filter(user_id=user.pk))
    if user.role == Role.COACH:
        direct |= _exists(Participation.objects.filter(participation_live(today), coach=user))
        if user.jobbtorg_unit_id:
            direct |= _exists(
                Participation.objects.filter(
                    participation_live(today),
                    unit_id=user.jobbtorg_unit_id,
                    coach_id__in=_stands_in_for(user, today),
                )
            )
    return direct


def _stands_in_for(user: User, today: datetime.date) -> QuerySet:
    """The coaches `user` is substitute for today: an uncorrelated subquery of a handful of rows
    (index subst_substitute_idx), evaluated once per statement, inside the per-person EXISTS."""
    return Substitution.objects.filter(
        substitute_id=user.pk,
        unit_id=user.jobbtorg_unit_id,
        valid_from__lte=today,
        valid_to__gte=today,
        revoked_at__isnull=True,
    ).values("absent_coach_id")


def emergency_scope(user: User, now: datetime.datetime) -> Q | None:
    """People of the coach's unit she holds an unexpired emergency access to; never protected ones."""
    if user.role != Role.COACH or not user.jobbtorg_unit_id:
        return None
    granted = EmergencyAccess.objects.filter(user_id=user.pk, unit_id=user.jobbtorg_unit_id, expires_at__gt=now)
    return _exists(granted) & Q(protection_level=ProtectionLevel.NONE)


def emergency_candidates(user: User, today: datetime.date) -> QuerySet[Person]:
    """Persons a coach may request emergency access to: a live participation at her unit, and no
    protected identity (the search that offers "Nödåtkomst" must never show a protected person)."""
    if user.role != Role.COACH or not user.jobbtorg_unit_id or not user.is_active:
        return Person.objects.none()
    at_unit = _exists(Participation.objects.filter(participation_live(today), unit_id=user.jobbtorg_unit_id))
    return Person.objects.filter(at_unit & Q(protection_level=ProtectionLevel.NONE))


def wide_scope(user: User, today: datetime.date) -> Q | None:
    """People the user reaches through unit, district, matching or provider; never protected ones."""
    role = user.role
    if role == Role.UNIT_MANAGER and user.jobbtorg_unit_id:
        rel = _exists(Participation.objects.filter(participation_live(today), unit_id=user.jobbtorg_unit_id))
    elif role in (Role.SOCIAL_WORKER, Role.OSA_OFFICER) and user.district_id:
        rel = Q(home_district_id=user.district_id)
    elif role == Role.MATCHER:
        rel = _exists(Participation.objects.filter(status__in=OPEN_STATUSES))
    elif role == Role.PROVIDER_STAFF and user.provider_id:
        rel = _exists(
            Participation.objects.filter(
                status__in=OPEN_STATUSES,
                activities__provider_id=user.provider_id,
                activities__start_date__lte=today,
                activities__end_date__gte=today,
            )
        )
    else:
        return None
    return rel & Q(protection_level=ProtectionLevel.NONE)


def _scope(user: User, today: datetime.date, now: datetime.datetime | None) -> Q | None:
    """The user's whole scope as one filter; `now` None leaves emergency access out."""
    parts = [direct_scope(user, today), wide_scope(user, today)]
    if now is not None:
        parts.append(emergency_scope(user, now))
    scope: Q | None = None
    for part in parts:
        if part is not None:
            scope = part if scope is None else scope | part
    return scope


def _may_see_anyone(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and getattr(user, "role", None))


def visible_persons(
    user: User, today: datetime.date | None = None, now: datetime.datetime | None = None
) -> QuerySet[Person]:
    """All persons `user` may see, emergency accesses included. Roles without a relation get an empty queryset."""
    today = today or timezone.localdate()
    if not _may_see_anyone(user):
        return Person.objects.none()
    scope = _scope(user, today, now or timezone.now())
    if scope is None:
        return Person.objects.none()
    return Person.objects.filter(scope)


def check_person(
    user: User, person: Person, today: datetime.date | None = None, now: datetime.datetime | None = None
) -> Decision:
    """Decide access to one person; the reason is kept for the audit log.

    The ordinary relations are tried first; only when they refuse is emergency access looked
    up, so a read under emergency access is known as such (and flagged) at no cost to others."""
    today = today or timezone.localdate()
    if not _may_see_anyone(user):
        return Decision(False, "ingen relation")
    ordinary = _scope(user, today, None)
    if ordinary is None or not Person.objects.filter(ordinary, pk=person.pk).exists():
        emergency = emergency_scope(user, now or timezone.now())
        if emergency is not None and Person.objects.filter(emergency, pk=person.pk).exists():
            return Decision(True, "nödåtkomst", see_contact_details=True, emergency=True)
        return Decision(False, "ingen relation")
    named = person.contact_grants.filter(pk=user.pk).exists()
    see_contact = named or not person.is_protected
    return Decision(True, "relation", see_contact_details=see_contact)


def may_request_emergency_access(user: User) -> bool:
    """Only a coach with a unit asks for emergency access; a unit manager already sees the unit."""
    return bool(_may_see_anyone(user) and holds(user, "access.request_emergency_access") and user.jobbtorg_unit_id)


def can_search(user: User) -> bool:
    return holds(user, "people.search")
