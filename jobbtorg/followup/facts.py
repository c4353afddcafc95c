"""Refresh the fact table (followup.models.Fact) from the case records.

`refresh()` rebuilds every row; `refresh(ids)` only those participations (called after the
events that change a figure). Rows are read in chunks with the columns computed in the
database and written with one upsert per chunk, so a full refresh at 1,000,000 participations
is a bounded number of statements. The task `followup.tasks.refresh_facts` runs it nightly.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import OuterRef, Subquery

from jobbtorg.activities.models import Activity
from jobbtorg.followup.models import Fact
from jobbtorg.participations.models import Participation
from jobbtorg.referrals.models import Referral

CHUNK = 5000

# Fact column -> the Participation value (a field path or an annotation below).
_COLUMNS = {
    "participation_id": "pk",
    "person_id": "person_id",
    "unit_id": "unit_id",
    "district_id": "home_district_id",
    "coach_id": "coach_id",
    "status": "status",
    "referred_on": "referred_on",
    "arrived_on": "arrived_on",
    "closed_on": "closed_on",
    "closure_reason": "closure_reason",
    "employment_form": "employment_form",
    "employment_extent": "employment_extent",
    "wage_subsidy": "wage_subsidy",
    "study_level": "study_level",
    "transfer_to": "transfer_to",
    "employment_lasts_a_month": "employment_lasts_a_month",
    "target_group_id": "fact_target_group",
    "provider_id": "fact_provider",
}


def _source(ids: Iterable[int] | None = None):
    first_group = Referral.target_groups.through.objects.filter(referral__participation=OuterRef("pk")).order_by("targetgroup_id")
    first_provider = Activity.objects.filter(participation=OuterRef("pk"), provider__isnull=False).order_by("start_date", "pk")
    qs = Participation.objects.annotate(
        fact_target_group=Subquery(first_group.values("targetgroup_id")[:1]),
        fact_provider=Subquery(first_provider.values("provider_id")[:1]),
    )
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.order_by("pk").values_list(*_COLUMNS.values())


def _write(rows: list[tuple]) -> None:
    names = list(_COLUMNS)
    facts = [Fact(**dict(zip(names, row, strict=True))) for row in rows]
    Fact.objects.bulk_create(
        facts,
        update_conflicts=True,
        unique_fields=["participation_id"],
        update_fields=[n for n in names if n != "participation_id"] + ["refreshed_at"],
    )


def refresh(ids: Iterable[int] | None = None) -> int:
    """Rebuild the facts of these participations (all when None); returns the number of rows written.

    A full refresh also removes facts whose participation is gone only if asked by retention
    (issue 14); here rows are only written, never deleted.
    """
    written = 0
    last = 0
    id_list = None if ids is None else sorted(set(ids))
    while True:
        with transaction.atomic():
            if id_list is None:
                chunk = list(_source().filter(pk__gt=last)[:CHUNK])
            else:
                part, id_list = id_list[:CHUNK], id_list[CHUNK:]
                chunk = list(_source(part)) if part else []
            if not chunk:
                return written
            _write(chunk)
        written += len(chunk)
        last = chunk[-1][0]
