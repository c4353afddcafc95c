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
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache

from jobbtorg.access.listing import ACTIVITY_SORTS, PARTICIPATION_SORTS, build_list, log_shown
from jobbtorg.accounts.http import AuthenticatedHttpRequest
from jobbtorg.accounts.models import Role, User
from jobbtorg.activities import selectors as activity_selectors
from jobbtorg.core.capabilities import requires
from jobbtorg.deadlines.rows import deadline_rows
from jobbtorg.notifications import selectors as notification_selectors
from jobbtorg.organisation.models import JobbtorgUnit
from jobbtorg.osa import selectors as osa_selectors
from jobbtorg.participations import selectors as participation_selectors
from jobbtorg.participations.models import OPEN_STATUSES, Status
from jobbtorg.participations.selectors import caseload_balance
from jobbtorg.referrals import selectors as referral_selectors
from jobbtorg.subsidies import selectors as subsidy_selectors
from jobbtorg.web import selectors
from jobbtorg.web.context_processors import nav_items_for

LIST_TARGET = "person-list"

# Rows shown in each box of a start page's to-do; the rest are counted and linked.
MISSING_ROWS = 10
INBOX_ROWS = 10

# The statuses a list may be filtered by; the default (no filter) is "all open".
OPEN_STATUS_CHOICES = [(s.value, s.label) for s in Status if s in OPEN_STATUSES]
COACH_STATUS_CHOICES = [*OPEN_STATUS_CHOICES, (Status.CLOSED.value, Status.CLOSED.label)]

# Which columns each role's participation list shows (data minimisation: only what the task needs).
COACH_COLUMNS = {"personnummer", "age", "district", "arrived", "next_step"}
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
    # The "next step / deadline" column: one query for the page (issue 10 item 1).
    participation_selectors.attach_paths(user, listing.rows, timezone.localdate())
    context: dict[str, Any] = {
        "listing": listing,
        "status_choices": COACH_STATUS_CHOICES,
        "sort": listing.sort,
        "columns": COACH_COLUMNS,
    }
    if not _wants_list_only(request):
        today = timezone.localdate()
        context.update(_coach_todo(request, user, today))
        ending = list(selectors.activities_ending_soon(user)[:10])
        log_shown(request, "startsida: insatser som slutar snart", (a.participation.person for a in ending))
        context["ending_soon"] = ending
        context["waiting"] = selectors.with_status(selectors.coach_caseload(user), Status.REFERRED, (Status.REFERRED,)).count()
    return _render(request, "web/start_coach.html", context, "web/_participation_list.html")


def _coach_todo(request: HttpRequest, user: User, today: Any) -> dict[str, Any]:
    """The top of the coach's "Att göra idag": deadlines (overdue first), attendance not
    registered, subsidy steps and today's appointments. Each list is a fixed number of queries
    and every person shown is audited."""
    kinds = selectors.deadline_kind_choices(user, today)
    kind = request.GET.get("frist", "")
    if kind not in {k for k, *_rest in kinds}:
        kind = ""
    rows, total = deadline_rows(user, today, kind=kind)
    log_shown(request, "startsida: tidsfrister", (row.person for row in rows))
    missing_qs = activity_selectors.missing_registrations(user, today)
    missing = list(missing_qs[:MISSING_ROWS])
    log_shown(request, "startsida: närvaro ej registrerad", (a.activity.participation.person for a in missing))
    missing_total = missing_qs.count()
    steps = list(subsidy_selectors.coach_steps(user, today)[:10])
    log_shown(request, "startsida: anställningsstöd att göra", (s.case.participation.person for s in steps))
    appointments = list(participation_selectors.coach_appointments(user, today))
    log_shown(request, "startsida: dagens besök", (a.participation.person for a in appointments))
    return {
        "today": today,
        "deadline_rows": rows,
        "deadline_total": total,
        "deadline_kinds": kinds,
        "deadline_kind": kind,
        "overdue_count": sum(k[2] for k in kinds),
        "due_count": sum(k[3] for k in kinds),
        "missing": missing,
        "missing_total": missing_total,
        "missing_more_url": reverse("activities:missing") if missing_total > len(missing) else "",
        "subsidy_steps": steps,
        "appointments": appointments,
    }


def district_start(request: HttpRequest, user: User) -> HttpResponse:
    listing = _status_list(
        request,
        selectors.district_residents(user),
        what="startsida: stadsdelens deltagare",
        choices=OPEN_STATUS_CHOICES,
        default_sort="-referred",
    )
    context: dict[str, Any] = {
        "listing": listing,
        "status_choices": OPEN_STATUS_CHOICES,
        "sort": listing.sort,
        "columns": DISTRICT_COLUMNS,
    }
    if not _wants_list_only(request) and user.role == Role.SOCIAL_WORKER:
        context.update(_district_inbox(request, user, timezone.localdate()))
    if not _wants_list_only(request) and user.role == Role.OSA_OFFICER:
        osa_start = osa_selectors.officer_start(user, timezone.localdate())
        if osa_start is not None:
            log_shown(request, "startsida: OSA-anställningar", (case.person for case in osa_start["osa_cases"]))
            context.update(osa_start, show_osa=True)
    return _render(request, "web/start_district.html", context, "web/_participation_list.html")


def _district_inbox(request: HttpRequest, user: User, today: Any) -> dict[str, Any]:
    """The social worker's inbox: deadline counts, deviations to acknowledge, referrals sent back
    and news of the district's residents (the plans to approve come from the plans app's inclusion tag)."""
    deviations_qs = activity_selectors.deviation_inbox(user.district, user)
    deviations = list(deviations_qs[:INBOX_ROWS])
    log_shown(request, "startsida: avvikelser att kvittera", (d.participation.person for d in deviations))
    returned = list(referral_selectors.returned_referrals(user)[:INBOX_ROWS])
    log_shown(request, "startsida: återsända anvisningar", (r.participation.person for r in returned))
    news_qs = notification_selectors.district_news(user, today)
    news = list(news_qs[:INBOX_ROWS])
    log_shown(request, "startsida: nytt om stadsdelens invånare", (n.participation.person for n in news))
    kinds = selectors.deadline_kind_choices(user, today)
    return {
        "today": today,
        "inbox": True,
        "deadline_kinds": kinds,
        "overdue_count": sum(k[2] for k in kinds),
        "due_count": sum(k[3] for k in kinds),
        "deviations": deviations,
        "deviation_total": deviations_qs.count(),
        "hidden_deviations": activity_selectors.hidden_deviation_count(user.district, user),
        "returned": returned,
        "news": news,
        "news_total": news_qs.count() if len(news) == INBOX_ROWS else len(news),
    }


def manager_start(request: HttpRequest, user: User) -> HttpResponse:
    # The one caseload count (participations.selectors.caseload_balance), here by name.
    coaches = list(caseload_balance(user.jobbtorg_unit_id).order_by("last_name", "first_name", "pk"))
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
        today = timezone.localdate()
        context["today"] = today
        # Every figure is counted from the list it links to (issue 10 item 2): the unit's list by
        # status and coach (web.selectors.unit_open_counts), the unassigned by participations.selectors.
        open_counts = selectors.unit_open_counts(user)
        context["figures"] = {
            **selectors.status_totals(open_counts),
            "without_coach": participation_selectors.unassigned(user).count(),
        }
        context["flows"] = selectors.unit_flows(user.jobbtorg_unit_id, today)
        late = selectors.overdue_by_coach(user.jobbtorg_unit_id, today)
        for coach in coaches:
            counts = late.pop(coach.pk, {})
            coach.overdue = counts.get("overdue", 0)  # type: ignore[attr-defined]
            coach.due_soon = counts.get("due_soon", 0)  # type: ignore[attr-defined]
            coach.here = selectors.status_totals({coach.pk: open_counts.get(coach.pk, {})})  # type: ignore[attr-defined]
        context["no_coach"] = selectors.status_totals({None: open_counts.get(None, {})})
        # Deadlines of participations that have no coach yet, or a coach from another unit.
        context["late_elsewhere"] = {
            "overdue": sum(c["overdue"] for c in late.values()),
            "due_soon": sum(c["due_soon"] for c in late.values()),
        }
        context["overdue_total"] = sum(getattr(c, "overdue", 0) for c in coaches) + context["late_elsewhere"]["overdue"]
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
    # Dagens tillfällen first: today's sessions to register for the group, then the coming ones.
    context = {"listing": listing, "sort": listing.sort, **activity_selectors.todays_sessions(user)}
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
@requires("web.start")
@never_cache
def start(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    page = START_PAGES.get(user.role, links_start)
    return page(request, user)
