"""Reads of referrals, scoped by access: a district sees its own referrals, and of
them only people its staff may see (protected identities stay out of lists).
"""

from django.db.models import QuerySet

from jobbtorg.access.policy import visible_persons
from jobbtorg.accounts.models import Role, User
from jobbtorg.core.capabilities import holds
from jobbtorg.participations import rules as participation_rules
from jobbtorg.participations.services import coaches_of
from jobbtorg.referrals.models import Referral, TargetGroup


def district_referrals(user: User, state: str | None = None) -> QuerySet[Referral]:
    """The user's district's referrals, newest first (one query per page: select_related)."""
    if not holds(user, "referrals.read") or not user.district_id:
        return Referral.objects.none()
    qs = Referral.objects.filter(district_id=user.district_id, participation__person__in=visible_persons(user))
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("participation__person", "participation__unit", "participation__coach", "referred_by").order_by(
        "-referred_on", "-id"
    )


def returned_referrals(user: User) -> QuerySet[Referral]:
    """Referrals the Jobbtorg sent back to the user's district, oldest first (the district's inbox)."""
    return district_referrals(user, Referral.State.RETURNED).order_by("returned_on", "id")


def may_withdraw(referral: Referral) -> bool:
    """Whether the participation's state table still allows the district to withdraw the referral
    (before enrolment); the page offers the step only then."""
    status = referral.participation.status
    return participation_rules.step_error(status, participation_rules.Action.WITHDRAW_REFERRAL) is None


def target_groups() -> QuerySet[TargetGroup]:
    return TargetGroup.objects.filter(active=True).order_by("sort_order", "name")


def appointment_coaches() -> QuerySet[User]:
    """Coaches of every unit, for the referral form's first appointment (grouped by unit)."""
    return (
        User.objects.filter(role=Role.COACH, is_active=True, jobbtorg_unit__isnull=False)
        .select_related("jobbtorg_unit")
        .order_by("jobbtorg_unit__name", "last_name", "first_name", "id")
    )


__all__ = ["appointment_coaches", "coaches_of", "district_referrals", "may_withdraw", "returned_referrals", "target_groups"]
