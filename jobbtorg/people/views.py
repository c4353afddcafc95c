"""Person search and the person page (UX.md: the person page).

Access comes only from jobbtorg.access: `visible_persons` scopes the search,
`open_person` checks and logs the person page. A refusal and a person that
does not exist get the same 404 page, so nothing leaks.
"""

from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache

from jobbtorg.access.policy import can_search
from jobbtorg.access.services import open_person
from jobbtorg.accounts.models import User
from jobbtorg.activities.models import Activity
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core.errors import AccessDenied
from jobbtorg.participations.models import Participation
from jobbtorg.web import selectors
from jobbtorg.web.listing import PAGE_SIZE, PersonList, log_shown

RESULTS_TARGET = "search-results"


@login_required
@never_cache
def search(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required: never anonymous here
    if not can_search(user):
        # Logged as a refused search, without the search text (it may hold a personnummer).
        record(Actor.from_request(request), Action.SEARCH, "personsök", None, allowed=False)
        return render(request, "people/search_forbidden.html", status=403)
    query = selectors.parse_search(request.GET.get("q", ""))
    listing = None
    if query.kind in ("personnummer", "birth_date", "name"):
        page = Paginator(selectors.search_persons(user, query), PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
        log_shown(request, "personsök", page.object_list, action=Action.SEARCH)
        listing = PersonList(page=page, sort="name")
    context = {"query": query, "listing": listing}
    htmx = getattr(request, "htmx", None)
    if htmx is not None and htmx and htmx.target == RESULTS_TARGET and not htmx.history_restore_request:
        response = render(request, "people/_search_results.html", context)
    else:
        response = render(request, "people/search.html", context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


@login_required
@never_cache
def detail(request: HttpRequest, person_id: int) -> HttpResponse:
    user = cast(User, request.user)  # login_required: never anonymous here
    try:
        person, decision = open_person(user, Actor.from_request(request), person_id, "personsida")
    except AccessDenied:
        return render(request, "people/not_found.html", status=404)
    participations = list(
        Participation.objects.filter(person=person)
        .select_related("unit", "coach", "home_district")
        .prefetch_related(
            Prefetch(
                "activities",
                queryset=Activity.objects.select_related("catalogue_item", "provider").order_by("-start_date", "pk"),
            )
        )
        .order_by("-referred_on", "-pk")
    )
    current = next((p for p in participations if p.is_open), participations[0] if participations else None)
    context = {
        "person": person,
        "decision": decision,
        "participations": participations,
        "current": current,
    }
    return render(request, "people/detail.html", context)
