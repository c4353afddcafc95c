"""Person search and the person page (UX.md: the person page).

Access comes only from jobbtorg.access: `visible_persons` scopes the search,
`open_person` checks and logs the person page. A refusal and a person that
does not exist get the same 404 page, so nothing leaks.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from jobbtorg.access import sections
from jobbtorg.access.listing import PAGE_SIZE, CappedPaginator, PersonList, log_shown
from jobbtorg.access.policy import can_search, check_person
from jobbtorg.access.sections import Section, may_see_section, visible_sections
from jobbtorg.access.services import open_person
from jobbtorg.accounts.http import AuthenticatedHttpRequest
from jobbtorg.accounts.models import Role, User
from jobbtorg.activities import selectors as activity_selectors
from jobbtorg.assessments import selectors as assessment_selectors
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core.capabilities import holds, may, requires
from jobbtorg.core.errors import AccessDenied, DomainError
from jobbtorg.deadlines.rows import next_deadline
from jobbtorg.disabilities import selectors as disability_selectors
from jobbtorg.osa import selectors as osa_selectors
from jobbtorg.participations import rules as participation_rules
from jobbtorg.participations import selectors as participation_selectors
from jobbtorg.participations.models import Participation
from jobbtorg.people import selectors
from jobbtorg.people import services as person_services
from jobbtorg.people.forms import ProtectionLowerForm, ProtectionRaiseForm
from jobbtorg.people.models import Person
from jobbtorg.subsidies import selectors as subsidy_selectors
from jobbtorg.timeline import selectors as timeline_selectors
from jobbtorg.timeline.forms import NoteForm

RESULTS_TARGET = "search-results"



def not_found(request: HttpRequest) -> HttpResponse:
    """The answer for a person the user does not reach, and for a role that reaches no person:
    the same page, so a refusal does not tell that the person exists."""
    return render(request, "people/not_found.html", status=404)

@login_required
@requires("people.reach")
@never_cache
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not can_search(user):
        # Logged as a refused search, without the search text (it may hold a personnummer).
        record(Actor.from_request(request), Action.SEARCH, "personsök", None, allowed=False)
        return render(request, "people/search_forbidden.html", status=403)
    query = selectors.parse_search(request.GET.get("q", ""))
    listing = None
    if query.kind in ("personnummer", "birth_date", "name"):
        page = CappedPaginator(selectors.search_persons(user, query), PAGE_SIZE).get_page(request.GET.get("page"))
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


TIMELINE_TARGET = "timeline"


@login_required
@requires("people.reach")
@never_cache
def detail(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    """The person page, top to bottom (UX.md): identity strip with the next deadline, current
    plan and assessment, activities and attendance, subsidies (and OSA, disability when
    present), participations, then the timeline. Opening it is the READ audit entry; an htmx
    request that targets the timeline (filter, page) gets only the timeline back."""
    user = request.user
    try:
        person, decision = open_person(user, Actor.from_request(request), person_id, "personsida")
    except AccessDenied:
        return render(request, "people/not_found.html", status=404)
    today = timezone.localdate()
    timeline = _timeline_context(request, user, person)
    htmx = getattr(request, "htmx", None)
    if htmx is not None and htmx and htmx.target == TIMELINE_TARGET and not htmx.history_restore_request:
        response = render(request, "timeline/_timeline.html", {"person": person, **timeline})
        patch_vary_headers(response, ("HX-Request", "HX-Target"))
        return response
    participations = participation_selectors.for_person(person)
    current = next((p for p in participations if p.is_open), participations[0] if participations else None)
    context: dict[str, Any] = {
        "person": person,
        "decision": decision,
        "participations": participations,
        "current": current,
        "today": today,
        "next_deadline": next_deadline(current, today) if may_see_section(user, Section.ENROLMENT) else None,
        "path": participation_selectors.path_for(
            user, current, today, with_deadline=may_see_section(user, Section.ENROLMENT)
        ) if current is not None and current.is_open else None,
        # Who may change the protection level (the page itself decides exactly; no query here).
        "protection_link": person_services.may_reach_protection_page(user),
        **timeline,
        **_sections(user, person, current, today),
    }
    response = render(request, "people/detail.html", context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


WHAT_PROTECTION_PAGE = "personsida: skyddsnivå"


@login_required
@requires("people.protection")
@never_cache
@require_http_methods(["GET", "POST"])
def protection(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    """A person's protection level (issue 8 item 2): editors with a relation may raise it;
    the unit manager and the data-protection officer may lower or remove it with a reason
    (people.services says who). Everybody else gets the person page's 404, audited.

    The manager and the officer may reach a protected person they have no relation to: the
    page then shows the person's id and level only, never name or personnummer."""
    user = request.user
    actor = Actor.from_request(request)
    person = Person.objects.select_related("home_district").filter(pk=person_id).first()
    action = Action.ACCESS if request.method == "POST" else Action.READ
    if person is None:
        record(actor, action, WHAT_PROTECTION_PAGE, None, allowed=False)
        return render(request, "people/not_found.html", status=404)
    current = person.protection_level
    decision = check_person(user, person)
    may_raise = decision.allowed and person_services.may_raise_protection(user)
    may_lower = person_services.may_lower_protection(user, person)
    if not (may_raise or may_lower):
        record(actor, action, WHAT_PROTECTION_PAGE, person.pk, allowed=False, protected=person.is_protected)
        return render(request, "people/not_found.html", status=404)
    posted = request.POST.get("form") if request.method == "POST" else None
    initial = {"version": person.version}
    raise_form = ProtectionRaiseForm(
        request.POST if posted == "raise" else None, prefix="raise", current=current, initial=initial
    )
    lower_form = ProtectionLowerForm(
        request.POST if posted == "lower" else None, prefix="lower", current=current, initial=initial
    )
    status = 200
    if posted == "raise" and may_raise:
        wanted = request.POST.get("raise-protection_level", "")
        if wanted in person_services.levels_below(current):
            # A lowered level posted past the form's choices: the service refuses and flags it.
            try:
                person_services.update_person(user, actor, person, {"protection_level": wanted}, person.version)
            except person_services.LoweringRefused:
                raise_form = ProtectionRaiseForm(prefix="raise", current=current, initial=initial)
                status = 403  # the page says why (refused)
        elif raise_form.is_valid():
            data = raise_form.cleaned_data
            try:
                person_services.update_person(
                    user, actor, person, {"protection_level": data["protection_level"]}, data["version"]
                )
            except DomainError as exc:
                raise_form.add_domain_error(exc)
            else:
                messages.success(request, _("Skyddsnivån är höjd."))
                return redirect("people:protection", person_id=person.pk)
    elif posted == "lower" and may_lower:
        if lower_form.is_valid():
            data = lower_form.cleaned_data
            try:
                person_services.lower_protection(user, actor, person, data["protection_level"], data["reason"], data["version"])
            except DomainError as exc:
                lower_form.add_domain_error(exc)
            else:
                messages.success(request, _("Skyddsnivån är sänkt. Ändringen är markerad för loggranskning."))
                return redirect("people:protection", person_id=person.pk)
    elif posted is not None:
        # A form this user may not use (an editor posting the lowering form): refused and flagged.
        if posted == "lower":
            try:  # refuses (AccessDenied) and writes the flagged entry
                person_services.lower_protection(user, actor, person, request.POST.get("lower-protection_level"), "", None)
            except (AccessDenied, DomainError):
                pass
        else:
            record(actor, action, WHAT_PROTECTION_PAGE, person.pk, allowed=False, protected=person.is_protected)
        lower_form = ProtectionLowerForm(prefix="lower", current=current, initial=initial)
        status = 403
    if request.method == "GET":
        record(actor, Action.READ, WHAT_PROTECTION_PAGE, person.pk, protected=person.is_protected)
    context = {
        "person": person,
        "show_identity": decision.allowed,
        "may_raise": may_raise and bool(person_services.levels_above(current)),
        "may_lower": may_lower and bool(person_services.levels_below(current)),
        "raise_form": raise_form,
        "lower_form": lower_form,
        "refused": status == 403,
    }
    return render(request, "people/protection.html", context, status=status)


def _sections(user: User, person: Any, current: Participation | None, today: Any) -> dict[str, Any]:
    """What each domain section of the person page needs, for the roles whose task needs it:
    `access.sections` decides (issue 8 item 7); a refused section is not even read."""
    shown = visible_sections(user)
    context: dict[str, Any] = {
        "sections": shown,
        # "Ta ärendet" (issue 10 item 2): an open participation without an assigned coach, a coach of its unit.
        "can_take": current is not None
        and current.is_open
        and current.coach_assigned_on is None
        and may(user, "participations.take", **participation_rules.facts(current)),
        "show_plan": current is not None and shown[Section.PLAN],
        "show_assessment": current is not None and shown[Section.ASSESSMENT],
        "activity_section": activity_selectors.person_section(user, person, today) if shown[Section.ACTIVITIES] else None,
        "show_subsidies": shown[Section.SUBSIDIES],
        # Each returns None unless the user has that relation (OSA officer; the health relation).
        "osa_section": osa_selectors.person_section(user, person, today) if shown[Section.OSA] else None,
        "disability_section": disability_selectors.person_section(user, person) if shown[Section.DISABILITY] else None,
    }
    if context["show_assessment"]:
        context["assessment_overview"] = assessment_selectors.overview(current)  # type: ignore[arg-type]
    if context["show_subsidies"]:
        context["subsidy_cases"] = subsidy_selectors.cases_for_person(person, user)
        open_participation = current if current is not None and current.is_open else None
        # The "new case" link: only where the user may open a subsidy case for this participation.
        may_create = open_participation is not None and may(
            user, "subsidies.create_case", **participation_rules.facts(open_participation)
        )
        context["subsidy_participation"] = open_participation if may_create else None
        context["subsidy_eligibility"] = holds(user, "eligibility.record_eligibility_facts")
    return context


def _timeline_context(request: HttpRequest, user: User, person: Any) -> dict[str, Any]:
    if not may_see_section(user, Section.TIMELINE):
        return {"timeline_visible": False}
    group = request.GET.get("typ", "")
    if group not in timeline_selectors.GROUPS_BY_KEY:
        group = ""
    # Events of sections the user does not see are left out (access.sections, issue 8 item 7).
    case_ids = subsidy_selectors.case_ids_for_person(person, user) if sections.SUBSIDY_TYPES.get(user.role) else []
    hidden = sections.timeline_hidden_q(user, case_ids)
    entries = timeline_selectors.entries(person, group)
    page: Any = Paginator(entries.exclude(hidden) if hidden is not None else entries, timeline_selectors.PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    page.object_list = list(page.object_list)
    coach_of = timeline_selectors.coach_participation_ids(user, person)
    for entry in page.object_list:
        entry.may_annotate = timeline_selectors.may_annotate(user, entry, coach_of)
        entry.may_correct = timeline_selectors.may_correct(user, entry, coach_of)
        entry.group = timeline_selectors.group_of(entry.corrects.kind if entry.corrects_id else entry.kind)
    return {
        "timeline_visible": True,
        "timeline_page": page,
        "timeline_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "timeline_group": group,
        "timeline_groups": timeline_selectors.GROUPS,
        "note_participation": timeline_selectors.note_participation(user, person),  # the case-note form's
        "note_form": NoteForm(prefix="note"),
        "role_labels": dict(Role.choices),
    }
