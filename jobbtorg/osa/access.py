"""Who may reach an OSA case (DOMAIN §1, §10): the OSA officer of the district responsible for it today.

Responsibility follows residence, but on a move the old district decides the handover
date (seed 000): until then the old district's officer is responsible and reaches the
case, after it the new district's officer - and the old one no longer does. A person
with a protected identity is reached only by an officer named on the person (the
direct relation `access.policy` requires for protected identities).

This is the OSA relation, kept beside `access.policy` because the policy's district
relation is the home district, which changes on the day of the move while the OSA
responsibility changes on the handover date. Every decision is written to the audit
log by `osa.services.open_case`.
"""

import datetime

from django.db.models import Q

from jobbtorg.accounts.models import User
from jobbtorg.core.capabilities import holds
from jobbtorg.osa.models import OsaCase


def responsible_q(district_id: int, today: datetime.date, prefix: str = "") -> Q:
    """Cases whose responsible district on `today` is `district_id` (SQL, for lists)."""
    p = prefix
    before_handover = Q(**{f"{p}next_district__isnull": True}) | Q(**{f"{p}handover_on__gt": today})
    return (Q(**{f"{p}district_id": district_id}) & before_handover) | Q(
        **{f"{p}next_district_id": district_id, f"{p}handover_on__lte": today}
    )


def officer_scope(user: User, today: datetime.date) -> Q | None:
    """The cases an OSA officer reaches today; None for every other role."""
    if not holds(user, "osa.read") or not user.district_id:
        return None
    protected_ok = Q(person__protection_level="none") | Q(person__contact_grants=user)
    return responsible_q(user.district_id, today) & protected_ok


def may_open(user: User, case: OsaCase, today: datetime.date) -> bool:
    scope = officer_scope(user, today)
    if scope is None:
        return False
    return OsaCase.objects.filter(scope, pk=case.pk).exists()
