"""Figures for a user: the registry's compute, inside the user's scope, through disclosure control.

`scope_filters(user)` is the part of the city a role's figures cover (its capability's scope);
`table(...)` computes one figure cut by one dimension and returns a disclosure-controlled table
(core.disclosure), which is the only shape in which figures leave this app.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from jobbtorg.accounts.models import User
from jobbtorg.core import disclosure
from jobbtorg.core.capabilities import ALL, DISTRICT, UNIT, holds, scope_of
from jobbtorg.followup import registry
from jobbtorg.followup.periods import Period

VIEW_CAPABILITIES = ("followup.view_city", "followup.view_unit", "followup.view_district")


def scope_filters(user: User) -> dict[str, Any]:
    """The Fact filters for the user's part of the city; PermissionDenied when she has none."""
    for name in VIEW_CAPABILITIES:
        if not holds(user, name):
            continue
        scope = scope_of(user.role, name)
        if scope == ALL:
            return {}
        if scope == UNIT and user.jobbtorg_unit_id:
            return {"unit_id": user.jobbtorg_unit_id}
        if scope == DISTRICT and user.district_id:
            return {"district_id": user.district_id}
    raise PermissionDenied


def may_cut_by(user: User, dimension: registry.Dimension) -> bool:
    return all(holds(user, name) for name in dimension.restricted_to)


@dataclass(frozen=True)
class FigureTable:
    figure: registry.Figure
    dimension: registry.Dimension | None
    period: Period
    keys: list[Any]
    labels: Mapping[Any, str]
    values: dict[Any, registry.Value]


def compute(figure_code: str, period: Period, dimension_code: str | None, filters: Mapping[str, Any]) -> FigureTable:
    """The raw figure (no disclosure control): for reports and tests that apply it themselves."""
    figure = registry.get(figure_code)
    dimension = registry.DIMENSIONS[dimension_code] if dimension_code else None
    if dimension is not None and dimension.code not in figure.dimensions:
        raise ValueError(f"{figure.code} cannot be cut by {dimension.code}")
    values = figure.compute(period, dimension, filters)
    keys = sorted(values, key=lambda k: (k is None, k))
    labels = dimension.labels(keys) if dimension else {}
    keys = sorted(keys, key=lambda k: (k is None, str(labels.get(k, ""))))
    return FigureTable(figure, dimension, period, keys, labels, values)


def table_for(user: User, figure_code: str, period: Period, dimension_code: str | None,
              extra_filters: Mapping[str, Any] | None = None) -> FigureTable:  # fmt: skip
    """A figure for a user: scope from the capability table, refused dimensions raise PermissionDenied."""
    filters = {**(extra_filters or {}), **scope_filters(user)}
    if dimension_code:
        dimension = registry.DIMENSIONS[dimension_code]
        if not may_cut_by(user, dimension):
            raise PermissionDenied
    return compute(figure_code, period, dimension_code, filters)


def protected_counts(tables: list[FigureTable]) -> list[disclosure.Protected]:
    """Count tables published together, each as one column over its dimension's keys, protected jointly."""
    published = [
        disclosure.Table(
            title=str(t.figure.label),
            row_labels=[str(t.labels.get(k, "–")) for k in t.keys],
            col_labels=[str(t.figure.label)],
            cells=[[t.values[k].n] for k in t.keys],
        )
        for t in tables
    ]
    return disclosure.protect(published)
