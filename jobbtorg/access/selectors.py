"""Reads behind the substitution and emergency-access pages and API: each a bounded list on an
index of the new tables (subst_* and emerg_* in access/models.py)."""

import datetime

from django.db.models import F, Q, QuerySet

from jobbtorg.access.models import EmergencyAccess, Substitution
from jobbtorg.accounts.models import Role, User

# Ended substitutions stay on the page this long, so "who stood in last week" is answered there.
RECENT_DAYS = 30
MAX_ROWS = 200


def substitutions_for(user: User, today: datetime.date) -> QuerySet[Substitution]:
    """A unit manager: her unit's substitutions; a coach: those where she is absent or stands in.
    Current and coming ones, and those that ended within the last month."""
    since = today - datetime.timedelta(days=RECENT_DAYS)
    qs = Substitution.objects.select_related("absent_coach", "substitute", "created_by", "revoked_by")
    if user.role == Role.UNIT_MANAGER and user.jobbtorg_unit_id:
        qs = qs.filter(unit_id=user.jobbtorg_unit_id)
    elif user.role == Role.COACH:
        qs = qs.filter(Q(absent_coach_id=user.pk) | Q(substitute_id=user.pk))
    else:
        return Substitution.objects.none()
    return qs.filter(valid_to__gte=since).order_by("-valid_from", "-id")


def emergency_accesses_to_review(manager: User) -> QuerySet[EmergencyAccess]:
    """Her unit's emergency accesses: the unsigned ones first (newest first), then the most recently signed."""
    if manager.role != Role.UNIT_MANAGER or not manager.jobbtorg_unit_id:
        return EmergencyAccess.objects.none()
    return (
        EmergencyAccess.objects.filter(unit_id=manager.jobbtorg_unit_id)
        .select_related("user", "person", "signed_by")
        .order_by(F("signed_at").desc(nulls_first=True), "-granted_at", "-id")
    )


def unsigned_count(manager: User) -> int:
    return emergency_accesses_to_review(manager).filter(signed_at__isnull=True).count()


def own_emergency_accesses(user: User) -> QuerySet[EmergencyAccess]:
    """The coach's own emergency accesses, newest first (index emerg_user_idx)."""
    return EmergencyAccess.objects.filter(user_id=user.pk).select_related("person").order_by("-granted_at", "-id")
