"""Need-based access (DOMAIN §1, LEGAL.md): may this user see this person?

The one place where access to a person is decided. Every view, API endpoint,
export and search calls `visible_persons` (lists) or `check_person` (one
person); nothing else filters people by role.

Rules (default deny):

| role | sees a person when |
| --- | --- |
| coach | an open (or recently closed) participation has them as coach, or is at their Jobbtorg unit |
| unit manager | an open (or recently closed) participation is at their Jobbtorg unit |
| social worker, OSA officer | the person's home district is their district |
| matcher | the person has an open participation at any Jobbtorg unit |
| provider staff | the person has an activity at their provider running today |
| analyst, HR, system administrator | never, not even when named on a person (aggregates and pseudonymised extracts only) |
| any other role | also when explicitly named on the person (`Person.contact_grants`) |

A person with a protected identity (sekretessmarkering, skyddad folkbokföring)
is visible only through a direct relation: the coach of their participation,
or staff explicitly named on the person. Unit-, district-, matching- and
provider-wide relations do not reach them. Address and contact details of a
protected person are shown only to the named staff.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from jobbtorg.accounts.models import Role, User
from jobbtorg.participations.models import OPEN_STATUSES, Participation, Status
from jobbtorg.people.models import Person, ProtectionLevel

# A closed participation keeps its relations for this long: post-closure follow-up
# at 2 and 8 months (DOMAIN §7) needs the coach to reach the person.
CLOSED_RELATION_DAYS = 300

# Roles that may search the whole population of their scope (and so learn that a person exists).
SEARCH_ROLES = {Role.COACH, Role.UNIT_MANAGER, Role.SOCIAL_WORKER, Role.OSA_OFFICER, Role.MATCHER, Role.PROVIDER_STAFF}

# Roles that never see an identity, not even when named on a person (the table above).
NO_PERSON_ROLES = {Role.ANALYST, Role.HR, Role.SYSADMIN}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    relation: str  # a short Swedish description of why, shown in log review
    see_contact_details: bool = False


def _participation_live(today: datetime.date) -> Q:
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
        direct |= _exists(Participation.objects.filter(_participation_live(today), coach=user))
    return direct


def wide_scope(user: User, today: datetime.date) -> Q | None:
    """People the user reaches through unit, district, matching or provider; never protected ones."""
    role = user.role
    if role in (Role.COACH, Role.UNIT_MANAGER) and user.jobbtorg_unit_id:
        rel = _exists(Participation.objects.filter(_participation_live(today), unit_id=user.jobbtorg_unit_id))
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


def visible_persons(user: User, today: datetime.date | None = None) -> QuerySet[Person]:
    """All persons `user` may see. Roles without a relation get an empty queryset."""
    today = today or timezone.localdate()
    if not user.is_authenticated or not user.is_active or not getattr(user, "role", None):
        return Person.objects.none()
    scope = direct_scope(user, today)
    wide = wide_scope(user, today)
    if wide is not None:
        scope = scope | wide if scope is not None else wide
    if scope is None:
        return Person.objects.none()
    return Person.objects.filter(scope)


def check_person(user: User, person: Person, today: datetime.date | None = None) -> Decision:
    """Decide access to one person; the reason is kept for the audit log."""
    today = today or timezone.localdate()
    if not visible_persons(user, today).filter(pk=person.pk).exists():
        return Decision(False, "ingen relation")
    named = person.contact_grants.filter(pk=user.pk).exists()
    see_contact = named or not person.is_protected
    return Decision(True, "relation", see_contact_details=see_contact)


def can_search(user: User) -> bool:
    return getattr(user, "role", None) in SEARCH_ROLES
