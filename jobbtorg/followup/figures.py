"""The key figures and their dimensions (DOMAIN §8), registered in followup.registry.

Every compute function is one aggregate query over followup.models.Fact, grouped by the
dimension's column: no loops over rows in Python.
"""

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jobbtorg.accounts.models import User
from jobbtorg.followup.models import Fact
from jobbtorg.followup.periods import Period
from jobbtorg.followup.registry import COUNT, Dimension, Figure, Value, register, register_dimension
from jobbtorg.organisation.models import District, JobbtorgUnit, Provider
from jobbtorg.referrals.models import TargetGroup


def _names(model: Any, field: str = "name") -> Any:
    def labels(keys: list[Any]) -> Mapping[Any, str]:
        return dict(model.objects.filter(pk__in=[k for k in keys if k is not None]).values_list("pk", field))

    return labels


def _coach_names(keys: list[Any]) -> Mapping[Any, str]:
    users = User.objects.filter(pk__in=[k for k in keys if k is not None]).only("first_name", "last_name", "username")
    return {u.pk: u.get_full_name() or u.username for u in users}


register_dimension(Dimension("unit", _("Jobbtorg"), "unit_id", _names(JobbtorgUnit)))
register_dimension(Dimension("district", _("Hemstadsdel"), "district_id", _names(District)))
register_dimension(Dimension("target_group", _("Målgrupp"), "target_group_id", _names(TargetGroup)))
register_dimension(Dimension("provider", _("Anordnare"), "provider_id", _names(Provider)))
register_dimension(Dimension("coach", _("Coach"), "coach_id", _coach_names, restricted_to=("followup.by_coach",)))

STANDARD_DIMENSIONS = ("unit", "district", "target_group", "provider", "coach")


def facts(filters: Mapping[str, Any]) -> QuerySet[Fact]:
    return Fact.objects.filter(**filters)


def grouped_counts(qs: QuerySet[Fact], dimension: Dimension | None, condition: Q) -> dict[Any, Value]:
    """{key: Value(n)} counting the facts that meet `condition`, per dimension key (None: the total)."""
    if dimension is None:
        n = qs.filter(condition).count()
        return {None: Value(n=n)}
    rows = qs.filter(condition).values(dimension.column).annotate(n=Count("pk")).order_by()
    return {row[dimension.column]: Value(n=row["n"]) for row in rows}


def _count(condition_for_period: Any) -> Any:
    def compute(period: Period, dimension: Dimension | None, filters: Mapping[str, Any]) -> dict[Any, Value]:
        return grouped_counts(facts(filters), dimension, condition_for_period(period))

    return compute


register(
    Figure(
        code="referred",
        label=_("Anvisade"),
        kind=COUNT,
        definition=_("Deltaganden som stadsdelen anvisade under perioden (anvisningsdatum i perioden)."),
        numerator=_("Antal deltaganden med anvisningsdatum i perioden."),
        denominator="",
        period_rule=_("Anvisningsdatum i perioden."),
        compute=_count(lambda p: Q(referred_on__range=(p.start, p.end))),
        dimensions=STANDARD_DIMENSIONS,
        order=10,
    )
)
register(
    Figure(
        code="enrolled",
        label=_("Inskrivna"),
        kind=COUNT,
        definition=_("Deltaganden där personen kom till jobbtorget (ankomstdatum) under perioden."),
        numerator=_("Antal deltaganden med ankomstdatum i perioden."),
        denominator="",
        period_rule=_("Ankomstdatum i perioden."),
        compute=_count(lambda p: Q(arrived_on__range=(p.start, p.end))),
        dimensions=STANDARD_DIMENSIONS,
        order=20,
    )
)
register(
    Figure(
        code="active",
        label=_("Aktiva"),
        kind=COUNT,
        definition=_(
            "Deltaganden som var inskrivna någon gång under perioden: ankomst senast periodens sista "
            "dag och inte avslutade före periodens första dag."
        ),  # fmt: skip
        numerator=_("Antal deltaganden inskrivna under perioden."),
        denominator="",
        period_rule=_("Ankomst ≤ periodens slut och (inget avslut eller avslut ≥ periodens start)."),
        compute=_count(lambda p: Q(arrived_on__lte=p.end) & (Q(closed_on__isnull=True) | Q(closed_on__gte=p.start))),
        dimensions=STANDARD_DIMENSIONS,
        order=30,
    )
)
register(
    Figure(
        code="closed",
        label=_("Avslutade"),
        kind=COUNT,
        definition=_("Deltaganden som avslutades under perioden (avslutsdatum i perioden), oavsett orsak."),
        numerator=_("Antal deltaganden med avslutsdatum i perioden."),
        denominator="",
        period_rule=_("Avslutsdatum i perioden."),
        compute=_count(lambda p: Q(closed_on__range=(p.start, p.end))),
        dimensions=STANDARD_DIMENSIONS,
        order=50,
    )
)
