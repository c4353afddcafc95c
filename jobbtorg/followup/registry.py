"""The registry of key figures (DOMAIN §8): every figure the follow-up shows is declared here once.

A figure has a definition (numerator, denominator, period rule), the dimensions it can be cut
by, the text shown next to it, and a function that computes it in the database over the fact
table (followup.models.Fact). Pages, reports, exports and the API ask the registry; no page
computes a figure of its own. Other apps add figures (and dimensions) by calling `register` in
a module their AppConfig.ready imports.

Pure: no database access here; the compute functions live in followup.figures and friends.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Kinds of figure: how a value is read and how disclosure control treats it.
COUNT = "count"  # number of participations (a count of people: small cells are suppressed)
SHARE = "share"  # numerator / denominator, shown as a percentage (suppressed when the denominator is small)
DURATION = "duration"  # days: median and quartiles over n participations (suppressed when n is small)
AMOUNT = "amount"  # kronor (a sum or a mean over n participations)


@dataclass(frozen=True)
class Dimension:
    """A way to cut a figure: the fact-table column and how its values are named."""

    code: str
    label: str | Promise
    column: str  # Fact field holding the key
    labels: Callable[[list[Any]], Mapping[Any, str]]  # key -> display name, one query for all keys
    # Only these capabilities may cut by it (e.g. per coach only for the unit manager); empty: anyone.
    restricted_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class Value:
    """One cell: `n` participations behind it; `numerator`/`denominator` for shares;
    `median`/`q1`/`q3` for durations; `amount` for kronor."""

    n: int
    numerator: int | None = None
    denominator: int | None = None
    median: float | None = None
    q1: float | None = None
    q3: float | None = None
    amount: float | None = None

    @property
    def share(self) -> float | None:
        if not self.denominator or self.numerator is None:
            return None
        return 100.0 * self.numerator / self.denominator


# compute(period, dimension_or_None, filters) -> {key: Value}; the key None holds the total
# when dimension is None. `filters` is a dict of Fact column -> value (the caller's scope and
# the page's filters), applied in the database.
Compute = Callable[[Any, "Dimension | None", Mapping[str, Any]], dict[Any, Value]]


@dataclass(frozen=True)
class Figure:
    code: str
    label: str | Promise
    kind: str
    definition: str | Promise  # shown next to the figure (and on the definitions sheet)
    numerator: str | Promise
    denominator: str | Promise
    period_rule: str | Promise  # which participations a period holds ("avslutade under perioden")
    compute: Compute
    dimensions: tuple[str, ...] = ()
    group: str | Promise = _("Flöden")  # heading in reports and pages
    order: int = 100
    extra: Mapping[str, Any] = field(default_factory=dict)


FIGURES: dict[str, Figure] = {}
DIMENSIONS: dict[str, Dimension] = {}


def register(figure: Figure) -> Figure:
    if figure.code in FIGURES and FIGURES[figure.code] is not figure:
        raise ValueError(f"figure {figure.code!r} registered twice")
    unknown = set(figure.dimensions) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"figure {figure.code!r}: unknown dimensions {sorted(unknown)}")
    FIGURES[figure.code] = figure
    return figure


def register_dimension(dimension: Dimension) -> Dimension:
    DIMENSIONS[dimension.code] = dimension
    return dimension


def figures(group: str | None = None) -> list[Figure]:
    found = [f for f in FIGURES.values() if group is None or str(f.group) == group]
    return sorted(found, key=lambda f: (f.order, f.code))


def get(code: str) -> Figure:
    try:
        return FIGURES[code]
    except KeyError as exc:
        raise KeyError(f"no figure {code!r}") from exc
