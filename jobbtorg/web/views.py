"""The start page: one per role, answering "what must I do now?" (UX.md).

Lists come from `web.selectors` (narrowed from access.policy.visible_persons),
are sorted, filtered and paginated on the server with the filters in the URL,
and every person shown is written to the audit log. An htmx request that
targets the list gets only the list back.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache

from jobbtorg.accounts.models import Role, User
from jobbtorg.organisation.models import JobbtorgUnit
from jobbtorg.participations.models import OPEN_STATUSES, Status
from jobbtorg.web import selectors
from jobbtorg.web.context_processors import nav_items_for
from jobbtorg.web.listing import ACTIVITY_SORTS, PARTICIPATION_SORTS, build_list, log_shown

LIST_TARGET = "person-list"

# The statuses a list may be filtered by; the default (no filter) is "all open".
OPEN_STATUS_CHOICES = [(s.value, s.label) for s in Status if s in OPEN_STATUSES]
COACH_STATUS_CHOICES = [*OPEN_STATUS_CHOICES, (Status.CLOSED.value, Status.CLOSED.label)]

# Which columns each role's participation list shows (data minimisation: only what the task needs).
COACH_COLUMNS = {"personnummer", "age", "district", "arrived"}
DISTRICT_COLUMNS = {"personnummer", "unit", "coach"}
MANAGER_COLUMNS = {"personnummer", "coach", "arrived"}
MATCHER_COLUMNS = {"age", "district", "unit", "coach"}


def _wants_list_only(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and htmx.target == LIST_TARGET and not htmx.history_restore_request


def _render(request: HttpRequest, template: str, context: dict[str, Any], list_template: str) -> HttpResponse:
    if _wants_list_only(request):
        response = render(request, list_template, context)
    else:
        response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def _status_list(
    request: HttpRequest,
    qs: Any,
    *,
    what: str,
    choices: list[tuple[str, Any]],
    default_sort: str = "name",
    extra_filters: dict[str, str] | None = None,
) -> Any:
    status = request.GET.get("status", "")
    allowed = tuple(value for value, _label in choices)
    qs = selectors.with_status(qs, status, allowed)
    filters = {"status": status if status in allowed else ""}
    filters.update(extra_filters or {})
    return build_list(
        request,
        qs,
        sorts=PARTICIPATION_SORTS,
        default_sort=default_sort,
        what=what,
        person_of=lambda p: p.person,
        filters=filters,
    )


def coach_start(request: HttpRequest, user: User) -> HttpResponse:
    listing = _status_list(
        request, selectors.coach_caseload(user), what="startsida: egen deltagarlista", choices=COACH_STATUS_CHOICES
    )
    context: dict[str, Any] = {
        "listing": listing,
        "status_choices": COACH_STATUS_CHOICES,
        "sort": listing.sort,
        "columns": COACH_COLUMNS,
    }
    if not _wants_list_only(request):
        ending = list(selectors.activities_ending_soon(user)[:10])
        log_shown(request, "startsida: insatser som slutar snart", (a.participation.person for a in ending))
        context["ending_soon"] = ending
        context["waiting"] = selectors.with_status(selectors.coach_caseload(user), Status.REFERRED, (Status.REFERRED,)).count()
    return _render(request, "web/start_coach.html", context, "web/_participation_list.html")


def district_start(request: HttpRequest, user: User) -> HttpResponse:
    listing = _status_list(
        request,
        selectors.district_residents(user),
        what="startsida: stadsdelens deltagare",
        choices=OPEN_STATUS_CHOICES,
        default_sort="-referred",
    )
    context = {
        "listing": listing,
        "status_choices": OPEN_STATUS_CHOICES,
        "sort": listing.sort,
        "columns": DISTRICT_COLUMNS,
    }
    return _render(request, "web/start_district.html", context, "web/_participation_list.html")


def manager_start(request: HttpRequest, user: User) -> HttpResponse:
    coaches = list(selectors.coach_caseloads(user.jobbtorg_unit_id))
    qs = selectors.unit_participants(user)
    coach_filter = request.GET.get("coach", "")
    coach_ids = {str(c.pk) for c in coaches}
    if coach_filter == "none":
        qs = qs.filter(coach__isnull=True)
    elif coach_filter in coach_ids:
        qs = qs.filter(coach_id=int(coach_filter))
    else:
        coach_filter = ""
    listing = _status_list(
        request,
        qs,
        what="startsida: enhetens deltagare",
        choices=OPEN_STATUS_CHOICES,
        extra_filters={"coach": coach_filter},
    )
    context: dict[str, Any] = {
        "listing": listing,
        "status_choices": OPEN_STATUS_CHOICES,
        "sort": listing.sort,
        "coaches": coaches,
        "columns": MANAGER_COLUMNS,
    }
    if not _wants_list_only(request):
        context["figures"] = selectors.unit_figures(user.jobbtorg_unit_id)
    return _render(request, "web/start_manager.html", context, "web/_participation_list.html")


def matcher_start(request: HttpRequest, user: User) -> HttpResponse:
    units = list(JobbtorgUnit.objects.order_by("name"))
    qs = selectors.matching_pool(user)
    unit_filter = request.GET.get("unit", "")
    if unit_filter in {str(u.pk) for u in units}:
        qs = qs.filter(unit_id=int(unit_filter))
    else:
        unit_filter = ""
    listing = _status_list(
        request,
        qs,
        what="startsida: deltagare för matchning",
        choices=OPEN_STATUS_CHOICES,
        extra_filters={"unit": unit_filter},
    )
    context = {
        "listing": listing,
        "status_choices": OPEN_STATUS_CHOICES,
        "sort": listing.sort,
        "columns": MATCHER_COLUMNS,
        "units": units,
    }
    return _render(request, "web/start_matcher.html", context, "web/_participation_list.html")


def provider_start(request: HttpRequest, user: User) -> HttpResponse:
    listing = build_list(
        request,
        selectors.provider_activities_today(user),
        sorts=ACTIVITY_SORTS,
        default_sort="name",
        what="startsida: anordnarens deltagare idag",
        person_of=lambda a: a.participation.person,
    )
    context = {"listing": listing, "sort": listing.sort, "today": timezone.localdate()}
    return _render(request, "web/start_provider.html", context, "web/_activity_list.html")


def analyst_start(request: HttpRequest, user: User) -> HttpResponse:
    context = {
        "by_unit": selectors.key_figures_by_unit(),
        "by_district": selectors.key_figures_by_district(),
        "threshold": selectors.SUPPRESSION_THRESHOLD,
        "year": timezone.localdate().year,
    }
    return render(request, "web/start_analyst.html", context)


def links_start(request: HttpRequest, user: User) -> HttpResponse:
    tools = [item for item in nav_items_for(user, request.path) if not item.current]
    return render(request, "web/start_links.html", {"tools": tools})


START_PAGES: dict[str, Callable[[HttpRequest, User], HttpResponse]] = {
    Role.COACH: coach_start,
    Role.SOCIAL_WORKER: district_start,
    Role.OSA_OFFICER: district_start,
    Role.UNIT_MANAGER: manager_start,
    Role.MATCHER: matcher_start,
    Role.PROVIDER_STAFF: provider_start,
    Role.ANALYST: analyst_start,
    Role.HR: links_start,
    Role.SYSADMIN: links_start,
}


@login_required
@never_cache
def start(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    page = START_PAGES.get(user.role, links_start)
    return page(request, user)
