"""Web pages for activities, sessions, attendance and deviations (/insatser/).

Thin: parse a form, call a service or selector, render. Access comes from the
access module (a refusal and a missing object are the same 404) and every
person shown or changed is audited by the selectors' callers or the services.
"""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from jobbtorg.access.listing import CappedPaginator
from jobbtorg.access.services import log_listed, open_person
from jobbtorg.accounts.http import AuthenticatedHttpRequest
from jobbtorg.activities import selectors, services
from jobbtorg.activities.forms import (
    CHOICES,
    AcknowledgeForm,
    ActivityForm,
    DayRegistrationForm,
    FollowUpForm,
    GroupSessionForm,
    SessionPlanForm,
    add_service_errors,
    join_choice,
    split_choice,
)
from jobbtorg.activities.models import Activity, ActivitySession, AttendanceStatus, Deviation, FollowUpDecision
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor
from jobbtorg.core.capabilities import OWN, PROVIDER, holds, requires, scope_of
from jobbtorg.core.errors import AccessDenied, ConflictError, DomainError
from jobbtorg.participations.models import Participation

PAGE_SIZE = 25  # like every other list of persons (access.listing.PAGE_SIZE)


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request)


def _open_activity(request: AuthenticatedHttpRequest, pk: int, what: str, action: str = Action.READ) -> Activity:
    """The activity if the user may see its person (audited), provider staff only their own provider's."""
    activity = (
        Activity.objects.select_related(
            "participation__person",
            "participation__home_district",
            "participation__coach",
            "catalogue_item",
            "provider",
            "predecessor__catalogue_item",
        )
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise Http404
    user = request.user
    if not selectors.shows_activity(user, activity):
        raise Http404
    try:
        open_person(user, _actor(request), activity.participation.person_id, what, action)
    except AccessDenied as exc:
        raise Http404 from exc
    return activity


def _open_participation(request: AuthenticatedHttpRequest, pk: int, what: str) -> Participation:
    participation = Participation.objects.select_related("person", "home_district", "coach").filter(pk=pk).first()
    if participation is None:
        raise Http404
    try:
        open_person(request.user, _actor(request), participation.person_id, what)
    except AccessDenied as exc:
        raise Http404 from exc
    return participation


def _conflict(request: HttpRequest, template: str, context: dict[str, Any], error: ConflictError) -> HttpResponse:
    context["conflict"] = error.messages[0]
    return render(request, template, context, status=409)


# --- Activities ---------------------------------------------------------------------------------


@login_required
@requires("activities.manage", refused=Http404)
@never_cache
@require_http_methods(["GET", "POST"])
def create(request: AuthenticatedHttpRequest, participation_id: int) -> HttpResponse:
    participation = _open_participation(request, participation_id, "insatser · ny insats")
    if not services.may_manage_activities(request.user, participation):
        raise Http404
    today = timezone.localdate()
    form = ActivityForm(request.POST or None, initial={"start_date": today})
    if request.method == "POST" and form.is_valid():
        data = services.ActivityData(
            catalogue_item=form.cleaned_data["catalogue_item"],
            provider=form.cleaned_data["provider"],
            start_date=form.cleaned_data["start_date"],
            end_date=form.cleaned_data["end_date"],
            location=form.cleaned_data["location"],
            description=form.cleaned_data["description"],
        )
        try:
            activity = services.create_activity(request.user, _actor(request), participation, data)
        except AccessDenied as exc:
            raise Http404 from exc
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Insatsen är sparad. Uppföljning är planerad till slutdatum."))
            return redirect("activities:detail", activity.pk)
    return render(request, "activities/activity_form.html", {"form": form, "participation": participation, "creating": True})


@login_required
@requires("activities.read", refused=Http404)
@never_cache
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = _open_activity(request, pk, "insatser · insats")
    page = Paginator(selectors.sessions_of(activity), PAGE_SIZE).get_page(request.GET.get("sida"))
    user = request.user
    context = {
        "activity": activity,
        "person": activity.participation.person,
        "rate": selectors.attendance_rate(activity),
        "sessions": page,
        "followups": list(activity.followups.select_related("successor__catalogue_item")),
        "successors": list(activity.successors.select_related("catalogue_item")),
        "can_manage": services.may_manage_activities(user, activity.participation),
        "step": dict.fromkeys(services.allowed_steps(user, activity), True),
        "can_register": bool(services.registrable(user, [activity])) and activity.is_open,
        "day_form": DayRegistrationForm(initial={"date": timezone.localdate()}),
        "plan_form": SessionPlanForm(initial={"date": max(activity.start_date, timezone.localdate())}, auto_id="id_plan_%s"),
        "today": timezone.localdate(),
    }
    return render(request, "activities/activity_detail.html", context)


@login_required
@requires("activities.manage", refused=Http404)
@never_cache
@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = _open_activity(request, pk, "insatser · ändra insats")
    if not services.may_manage_activities(request.user, activity.participation):
        raise Http404
    initial = {
        "provider": activity.provider,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "location": activity.location,
        "description": activity.description,
        "version": activity.version,
    }
    form = ActivityForm(request.POST or None, initial=initial, editing=True)
    context = {"form": form, "participation": activity.participation, "activity": activity, "creating": False}
    if request.method == "POST" and form.is_valid():
        data = services.ActivityData(
            catalogue_item=activity.catalogue_item,
            provider=form.cleaned_data["provider"],
            start_date=form.cleaned_data["start_date"],
            end_date=form.cleaned_data["end_date"],
            location=form.cleaned_data["location"],
            description=form.cleaned_data["description"],
        )
        try:
            services.update_activity(request.user, _actor(request), activity, data, form.cleaned_data["version"])
        except AccessDenied as exc:
            raise Http404 from exc
        except ConflictError as exc:
            return _conflict(request, "activities/activity_form.html", context, exc)
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Ändringen är sparad."))
            return redirect("activities:detail", activity.pk)
    return render(request, "activities/activity_form.html", context)


@login_required
@requires("activities.manage", refused=Http404)
@never_cache
@require_http_methods(["GET", "POST"])
def followup(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = _open_activity(request, pk, "insatser · uppföljning")
    if not services.may_manage_activities(request.user, activity.participation):
        raise Http404
    today = timezone.localdate()
    form = FollowUpForm(
        request.POST or None,
        initial={
            "followed_up_on": today,
            "version": activity.version,
            "successor_start_date": max(today, activity.start_date),
        },
    )
    # The decisions offered are the follow-up steps the state machine allows (activities.rules.TRANSITIONS).
    allowed = set(services.allowed_steps(request.user, activity))
    decision = form.fields["decision"]
    decision.choices = [(value, label) for value, label in decision.choices if not value or value in allowed]  # type: ignore[attr-defined]
    context = {"form": form, "activity": activity, "person": activity.participation.person}
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        successor = None
        if cd["decision"] == FollowUpDecision.REPLACE:
            successor = services.ActivityData(
                catalogue_item=cd["successor_catalogue_item"],
                provider=cd["successor_provider"],
                start_date=cd["successor_start_date"],
                end_date=cd["successor_end_date"],
            )
        data = services.FollowUpData(
            followed_up_on=cd["followed_up_on"],
            result=cd["result"],
            decision=cd["decision"],
            new_end_date=cd["new_end_date"],
            successor=successor,
        )
        try:
            done = services.follow_up(request.user, _actor(request), activity, data, cd["version"])
        except AccessDenied as exc:
            raise Http404 from exc
        except ConflictError as exc:
            return _conflict(request, "activities/followup_form.html", context, exc)
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Uppföljningen är sparad."))
            return redirect("activities:detail", done.successor_id or activity.pk)
    return render(request, "activities/followup_form.html", context)


# --- Sessions -----------------------------------------------------------------------------------


def _plan_from(form: SessionPlanForm, group: bool = False) -> services.SessionPlan:
    cd = form.cleaned_data
    return services.SessionPlan(
        date=cd["date"],
        last_date=cd.get("last_date"),
        weekdays=cd.get("weekdays") or [],
        start_time=cd.get("start_time"),
        end_time=cd.get("end_time"),
        group=group,
    )


@login_required
@requires("activities.register_attendance", refused=Http404)
@never_cache
@require_http_methods(["POST"])
def plan_sessions(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Plan sessions for one activity (from the activity page)."""
    activity = _open_activity(request, pk, "insatser · planera tillfällen")
    form = SessionPlanForm(request.POST)
    if form.is_valid():
        try:
            sessions = services.plan_sessions(request.user, _actor(request), [activity], _plan_from(form))
        except AccessDenied as exc:
            raise Http404 from exc
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(count)s tillfällen är planerade.") % {"count": len(sessions)})
            return redirect("activities:detail", activity.pk)
    return render(request, "activities/plan_sessions.html", {"form": form, "activity": activity})


@login_required
@requires("activities.register_attendance", refused=Http404)
@never_cache
@require_http_methods(["POST"])
def register_day(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Register one participant for one day (from the activity page)."""
    activity = _open_activity(request, pk, "insatser · registrera närvaro")
    form = DayRegistrationForm(request.POST)
    if form.is_valid():
        status, reason = split_choice(form.cleaned_data["choice"])
        try:
            services.register_day(
                request.user, _actor(request), activity, form.cleaned_data["date"], status, reason, form.cleaned_data["note"]
            )
        except AccessDenied as exc:
            raise Http404 from exc
        except DomainError as exc:
            add_service_errors(form, exc, {"status": "choice", "absence_reason": "choice"})
        else:
            messages.success(request, _("Närvaron är registrerad."))
            return redirect("activities:detail", activity.pk)
    return render(request, "activities/register_day.html", {"form": form, "activity": activity})


def _group_candidates(request: AuthenticatedHttpRequest, item_id: Any, day: datetime.date | None) -> list[Activity]:
    """Open activities of one offer running on `day` that the user may register: at the user's
    provider (provider staff), or the user's unit's activities without a provider (coach)."""
    if not item_id or day is None:
        return []
    user = request.user
    qs = selectors.visible_activities(user).filter(
        catalogue_item_id=item_id, status="open", start_date__lte=day, end_date__gte=day
    )
    scope = scope_of(user.role, "activities.register_attendance")
    if scope == OWN:  # a coach hosts a group session of the unit's own activities
        qs = qs.filter(provider__isnull=True, participation__unit_id=user.jobbtorg_unit_id)
    elif scope != PROVIDER:
        return []
    return list(qs.order_by("participation__person__last_name", "participation__person__first_name", "id")[:200])


@login_required
@requires("activities.register_attendance", refused=Http404)
@never_cache
@require_http_methods(["GET", "POST"])
def group_session_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A group session: pick the offer and the day, then the participants (the list follows the
    offer and day; with htmx it reloads as they change, without it on 'Visa deltagare')."""
    source = request.POST if request.method == "POST" else request.GET
    item_id = source.get("catalogue_item")
    try:
        day = datetime.date.fromisoformat(source.get("date", ""))
    except ValueError:
        day = None
    candidates = _group_candidates(request, item_id if str(item_id or "").isdigit() else None, day)
    choices = [(a.pk, f"{a.participation.person.last_name}, {a.participation.person.first_name}") for a in candidates]
    if request.method == "POST":
        form = GroupSessionForm(request.POST, candidates=choices)
    else:  # a lookup: show the list without complaining about what is not chosen yet
        form = GroupSessionForm(
            candidates=choices, initial={"catalogue_item": item_id or None, "date": day or timezone.localdate()}
        )
    if candidates:
        log_listed(_actor(request), "insatser · nytt grupptillfälle", [a.participation.person for a in candidates])
    if request.method == "POST" and form.is_valid():
        chosen = [a for a in candidates if a.pk in set(form.cleaned_data["activities"])]
        try:
            sessions = services.plan_sessions(request.user, _actor(request), chosen, _plan_from(form, group=True))
        except AccessDenied as exc:
            raise Http404 from exc
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(count)s grupptillfällen är planerade.") % {"count": len(sessions)})
            return redirect("activities:session", sessions[0].pk)
    context = {"form": form, "candidates": candidates, "looked_up": bool(item_id and day)}
    if getattr(request, "htmx", None) and request.method == "GET":
        return render(request, "activities/_group_candidates.html", context)
    return render(request, "activities/group_session_form.html", context)


def _session_for(request: HttpRequest, pk: int) -> ActivitySession:
    session = ActivitySession.objects.select_related("catalogue_item", "provider", "host").filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def _rows(request: AuthenticatedHttpRequest, session: ActivitySession) -> list[Any]:
    # Attendance rows with what the template shows set on each (editable, choice, errors, label).
    rows: list[Any] = list(selectors.session_rows(request.user, session))
    for row in rows:
        row.editable = services.may_register_for(request.user, row.activity, session)
        row.choice = join_choice(row.status, row.absence_reason)
        if not row.choice and row.editable and session.date <= timezone.localdate():
            row.choice = AttendanceStatus.PRESENT.value  # the usual case, so a group is saved in one click
        row.errors = {}
        row.label = services.describe(row)
    return rows


@login_required
@requires("activities.read", refused=Http404)
@never_cache
@require_http_methods(["GET", "POST"])
def session(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Registration page of one session: a radio group per participant, saved all at once
    (one transaction) or, with htmx, one row at a time."""
    sess = _session_for(request, pk)
    rows = _rows(request, sess)
    if not any(row.editable for row in rows):
        raise Http404
    log_listed(_actor(request), "insatser · närvaro på tillfälle", [row.activity.participation.person for row in rows])
    context: dict[str, Any] = {"session": sess, "rows": rows, "today": timezone.localdate(), "choices": CHOICES}
    if request.method == "POST":
        only = request.POST.get("only")
        chosen = [r for r in rows if r.editable and (not only or str(r.pk) == only)]
        registrations = []
        for row in chosen:
            status, reason = split_choice(request.POST.get(f"a{row.pk}-choice", ""))
            version = request.POST.get(f"a{row.pk}-version", "")
            registrations.append(
                services.Registration(
                    attendance_id=row.pk,
                    status=status,
                    absence_reason=reason,
                    note=request.POST.get(f"a{row.pk}-note", "")[:500],
                    version=int(version) if version.isdigit() else None,
                )
            )
            # Keep what was entered, so a refused form comes back as the user left it.
            row.choice = join_choice(status, reason)
            row.note = request.POST.get(f"a{row.pk}-note", "")[:500]
        status_code = 200
        try:
            services.register_group(request.user, _actor(request), sess, registrations)
        except AccessDenied as exc:
            raise Http404 from exc
        except ConflictError as exc:
            context["conflict"] = exc.messages[0]
            status_code = 409
        except services.GroupRegistrationError as exc:
            for row in rows:
                row.errors = exc.row_errors.get(row.pk, {})
            context["has_errors"] = True
        except DomainError as exc:
            context["form_errors"] = exc.messages
        else:
            if only and getattr(request, "htmx", None):
                row = next(r for r in _rows(request, sess) if str(r.pk) == only)
                return render(
                    request, "activities/_session_row.html", {"row": row, "session": sess, "saved": True, "choices": CHOICES}
                )
            messages.success(request, _("Närvaron är sparad."))
            return redirect("activities:session", sess.pk)
        if only and getattr(request, "htmx", None):
            row = next(r for r in rows if str(r.pk) == only)
            return render(
                request,
                "activities/_session_row.html",
                {"row": row, "session": sess, "conflict": context.get("conflict"), "choices": CHOICES},
            )
        context["rows"] = rows
        return render(request, "activities/session.html", context, status=status_code)
    return render(request, "activities/session.html", context)


# --- Lists --------------------------------------------------------------------------------------


@login_required
@requires("activities.register_attendance", refused=Http404)
@never_cache
def sessions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Tillfällen: today's sessions first, each opening its group registration, then the coming ones."""
    return render(request, "activities/sessions.html", selectors.todays_sessions(request.user))


def _day(request: HttpRequest) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("datum", ""))
    except ValueError:
        return timezone.localdate()


@login_required
@requires("activities.register_attendance", refused=Http404)
@never_cache
def missing(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Sessions without registration (Ej registrerad) up to the chosen day: never absence."""
    day = _day(request)
    page = Paginator(selectors.missing_registrations(request.user, day), PAGE_SIZE).get_page(request.GET.get("sida"))
    rows = list(page.object_list)
    log_listed(_actor(request), "insatser · ej registrerad närvaro", [r.activity.participation.person for r in rows])
    return render(request, "activities/missing.html", {"page": page, "missing": rows, "day": day})


@login_required
@requires("activities.acknowledge_deviation", refused=Http404)
@never_cache
def deviations(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The district's deviation inbox: reports waiting for acknowledgement, oldest first."""
    user = request.user
    if not user.district_id:
        raise Http404
    handled = request.GET.get("visa") == "kvitterade"
    corrected = request.GET.get("visa") == "rattade"  # withdrawn because the attendance was corrected
    inbox = selectors.deviation_inbox(user.district, user, acknowledged=handled, withdrawn=corrected)
    page = CappedPaginator(inbox, PAGE_SIZE).get_page(request.GET.get("sida"))
    rows = list(page.object_list)
    log_listed(_actor(request), "insatser · avvikelser", [d.participation.person for d in rows])
    context = {
        "page": page,
        "deviations": rows,
        "handled": handled,
        "corrected": corrected,
        "hidden_deviations": 0 if handled or corrected else selectors.hidden_deviation_count(user.district, user),
        "today": timezone.localdate(),
    }
    return render(request, "activities/deviations.html", context)


@login_required
@requires("activities.acknowledge_deviation", refused=Http404)
@never_cache
@require_http_methods(["GET", "POST"])
def deviation_acknowledge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    deviation = (
        Deviation.objects.select_related(
            "participation__person",
            "district",
            "attendance__activity__catalogue_item",
            "attendance__activity__provider",
            "attendance__session",
            "appointment",
            "reported_by",
            "acknowledged_by",
        )
        .filter(pk=pk)
        .first()
    )
    if deviation is None:
        raise Http404
    actor = _actor(request)
    if not services.may_acknowledge(request.user, deviation):
        # Audited as refused; the answer is the same as for a report that does not exist.
        try:
            services.acknowledge_deviation(request.user, actor, deviation, "", None)
        except AccessDenied as exc:
            raise Http404 from exc
    open_person(request.user, actor, deviation.participation.person_id, "insatser · avvikelse")
    form = AcknowledgeForm(request.POST or None, initial={"version": deviation.version})
    context = {"deviation": deviation, "form": form, "person": deviation.participation.person}
    if request.method == "POST" and form.is_valid():
        try:
            services.acknowledge_deviation(
                request.user, actor, deviation, form.cleaned_data["district_note"], form.cleaned_data["version"]
            )
        except AccessDenied as exc:
            raise Http404 from exc
        except ConflictError as exc:
            return _conflict(request, "activities/deviation_acknowledge.html", context, exc)
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Avvikelsen är kvitterad."))
            return redirect("activities:deviations")
    return render(request, "activities/deviation_acknowledge.html", context)


@login_required
@requires("activities.read", refused=Http404)
@never_cache
def attendance_summary(request: AuthenticatedHttpRequest, participation_id: int) -> HttpResponse:
    """A participation's attendance: per activity and in total, missing shown separately."""
    participation = _open_participation(request, participation_id, "insatser · närvarosammanställning")
    activities = list(
        selectors.with_attendance_counts(
            participation.activities.select_related("catalogue_item", "provider", "predecessor__catalogue_item")
        ).order_by("-start_date", "-id")
    )
    activities = [a for a in activities if selectors.shows_activity(request.user, a)]
    for activity in activities:
        activity.rate = selectors.rate_of(activity)  # type: ignore[attr-defined]  # for the template, as in selectors
    context = {
        "participation": participation,
        "person": participation.person,
        "activities": activities,
        "total": selectors.sum_rates([a.rate for a in activities]),  # type: ignore[attr-defined]
        "today": timezone.localdate(),
        "deviations": list(selectors.deviations_of(participation)) if holds(request.user, "activities.read_deviations") else [],
    }
    return render(request, "activities/attendance_summary.html", context)
