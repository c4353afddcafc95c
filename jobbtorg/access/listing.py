"""Server-side lists of persons: sort and filter from the URL, 25 rows a page, audit of the persons
shown. In access (not web) because every app's list pages use it and domain apps never import web."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

from jobbtorg.access.services import log_listed
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor
from jobbtorg.people.models import Person

PAGE_SIZE = 25

# A list counts its rows up to here and then says "more than 1 000": a district's or a unit's
# list grows with the city, and counting it to the end would make every page view cost as much
# as the whole list (bench/README.md, cause 3). Nobody pages through more than 40 pages; they
# search or filter.
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """A paginator that counts at most `cap` rows (SELECT COUNT(*) FROM (… LIMIT cap + 1))."""

    object_list: QuerySet[Any]  # only a queryset: it is counted in the database

    def __init__(self, object_list: QuerySet[Any], per_page: int, cap: int | None = None, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap if cap is not None else COUNT_CAP

    @cached_property
    def _counted(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """True when there are more rows than were counted."""
        return self._counted > self.cap

# Sort keys a participation list accepts in ?sort=, and their ORDER BY (pk last: a stable order).
PARTICIPATION_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("person__last_name", "person__first_name", "pk"),
    "personnummer": ("person__personnummer", "pk"),
    "referred": ("referred_on", "pk"),
    "arrived": ("arrived_on", "pk"),
    "status": ("status", "person__last_name", "pk"),
    "unit": ("unit__name", "person__last_name", "pk"),
    "coach": ("coach__last_name", "coach__first_name", "person__last_name", "pk"),
    "district": ("person__home_district__name", "person__last_name", "pk"),
}

ACTIVITY_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("participation__person__last_name", "participation__person__first_name", "pk"),
    "activity": ("catalogue_item__name", "participation__person__last_name", "pk"),
    "start": ("start_date", "pk"),
    "end": ("end_date", "pk"),
}


def order(qs: QuerySet, sort: str, sorts: dict[str, tuple[str, ...]], default: str) -> tuple[QuerySet, str]:
    """Apply ?sort= (a key, '-key' for descending); unknown keys fall back to `default`."""
    key = sort.removeprefix("-")
    if key not in sorts:
        sort, key = default, default.removeprefix("-")
    fields = sorts[key]
    if sort.startswith("-"):
        fields = tuple(f"-{f}" for f in fields)
    return qs.order_by(*fields), sort


@dataclass
class PersonList:
    """One page of a list plus what the template needs to draw filters, sorting and paging."""

    page: Page
    sort: str
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def rows(self) -> list[Any]:
        return list(self.page.object_list)

    @property
    def page_range(self) -> Iterable[Any]:
        return self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1)


def build_list(
    request: HttpRequest,
    qs: QuerySet,
    *,
    sorts: dict[str, tuple[str, ...]],
    default_sort: str,
    what: str,
    person_of: Callable[[Any], Person],
    filters: dict[str, str] | None = None,
    action: str = Action.LIST,
) -> PersonList:
    """Sort, paginate and write one audit entry per person shown on the page."""
    qs, sort = order(qs, request.GET.get("sort", ""), sorts, default_sort)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    log_shown(request, what, (person_of(row) for row in page.object_list), action)
    return PersonList(page=page, sort=sort, filters=filters or {})


def log_shown(request: HttpRequest, what: str, people: Iterable[Person], action: str = Action.LIST) -> None:
    """Audit the persons shown, each once, in the order shown."""
    seen: dict[int, Person] = {}
    for person in people:
        seen.setdefault(person.pk, person)
    if seen:
        log_listed(Actor.from_request(request), what, seen.values(), action=action)
