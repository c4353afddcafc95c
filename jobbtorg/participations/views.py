"""The participation pages: the coach's page with the enrolment checklist, interruption,
restart and closure; the post-closure follow-up form; the manager's assignment page.

Thin: parse a form, call participations.services, redirect or render the errors.
Every page works as a plain form post; the forms carry `hx-boost` so htmx swaps
the page in place when it is there. A refused relation is a 404 (nothing leaks),
a missing role right a 403, a concurrent save a 409 with a Swedish message.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from jobbtorg.access.sections import Section, require_section, visible_sections
from jobbtorg.access.services import log_listed, open_person
from jobbtorg.accounts.http import AuthenticatedHttpRequest
from jobbtorg.activities.services import end_activities_at_closure
from jobbtorg.audit.services import Actor
from jobbtorg.core.capabilities import requires
from jobbtorg.core.errors import AccessDenied, ConflictError, DomainError
from jobbtorg.deadlines import selectors as deadline_selectors
from jobbtorg.participations import forms, rules, selectors, services
from jobbtorg.participations.forms import yes_no
from jobbtorg.participations.models import Participation, PostClosureFollowUp
from jobbtorg.participations.rules import Action, Outcome


def _status(request: HttpRequest, status: int) -> int:
    # htmx does not swap 4xx answers by default; the page with its error summary must show.
    return 200 if getattr(request, "htmx", False) else status


def _open(request: AuthenticatedHttpRequest, participation_id: int, what: str) -> Participation:
    """Load the participation and open its person through access (audited); 404 when refused."""
    p = services.load(participation_id)
    if p is None:
        raise Http404
    try:
        open_person(request.user, Actor.from_request(request), p.person_id, f"deltagande {p.pk}: {what}")
    except AccessDenied as exc:
        raise Http404 from exc
    return p


def _forms(p: Participation, user: Any) -> dict[str, Any]:
    initial = {"version": p.version}
    coaches = services.coaches_of(p.unit_id)
    return {
        "assign": forms.AssignCoachForm(initial={**initial, "coach": p.coach_id}, coaches=coaches, prefix="assign"),
        "book": forms.AppointmentForm(coaches=coaches, prefix="book", initial={"appointment_coach": p.coach_id}),
        "arrive": forms.ArrivalForm(initial=initial, prefix="arrive"),
        "af": forms.AFRegistrationForm(
            initial={
                **initial,
                "af_registered": forms.YES_NO_INITIAL.get(p.af_registered),
                "af_registered_on": p.af_registered_on,
            },
            prefix="af",
        ),
        "information": forms.InformationForm(initial=initial, prefix="information"),
        "job_guarantee": forms.JobGuaranteeForm(initial=initial, prefix="job_guarantee"),
        "interrupt": forms.InterruptForm(initial=initial, prefix="interrupt"),
        "restart": forms.RestartForm(initial=initial, prefix="restart"),
        "return": forms.ReturnReferralForm(prefix="return"),
    }


def _referral(p: Participation) -> Any:
    try:
        return p.referral
    except ObjectDoesNotExist:
        return None


def _detail(
    request: AuthenticatedHttpRequest,
    p: Participation,
    bound: dict[str, Any] | None = None,
    status: int = 200,
    conflict: str | None = None,
) -> HttpResponse:
    page_forms = _forms(p, request.user)
    page_forms.update(bound or {})
    today = timezone.localdate()
    # Which parts of the file this role sees (access.sections, issue 8 item 7); the others are not read.
    shown = visible_sections(request.user)
    enrolment = shown[Section.ENROLMENT]
    open_deadlines = list(p.deadlines.filter(status="open").order_by("due_date")) if enrolment else []
    context = {
        "p": p,
        "person": p.person,
        "sections": shown,
        "referral": _referral(p) if shown[Section.REFERRAL_BASIS] else None,
        "appointments": p.appointments.select_related("coach").order_by("starts_at") if enrolment else [],
        "interruptions": p.interruptions.order_by("start_date") if enrolment else [],
        "running_interruption": p.interruptions.filter(end_date__isnull=True).first() if enrolment else None,
        "followups": p.followups.order_by("due_on") if shown[Section.CLOSURE] else [],
        "deadline_rows": deadline_selectors.rows(open_deadlines, today),
        "job_guarantee": any(d.kind == "job_guarantee_offer" for d in open_deadlines),
        "limit": selectors.limit_status(p, today) if p.arrived_on and enrolment else None,
        "can": selectors.capabilities(request.user, p),
        "step": selectors.steps(request.user, p),
        "path": selectors.path_for(request.user, p, today, with_deadline=enrolment),
        "forms": page_forms,
        "conflict": conflict,
    }
    return render(request, "participations/detail.html", context, status=status)


@login_required
@requires("participations.read", refused=Http404)
@never_cache
def detail(request: AuthenticatedHttpRequest, participation_id: int) -> HttpResponse:
    p = _open(request, participation_id, "sida")
    return _detail(request, p)


def _action(
    request: AuthenticatedHttpRequest,
    participation_id: int,
    key: str,
    form_class: type[forms.DomainForm],
    call: Callable[[Participation, dict[str, Any]], Any],
    done: str,
    form_kwargs: Callable[[Participation], dict[str, Any]] | None = None,
) -> HttpResponse:
    """POST one section's form: call the service, or show the page again with the errors."""
    p = services.load(participation_id)
    if p is None:
        raise Http404
    form = form_class(request.POST, prefix=key, **(form_kwargs(p) if form_kwargs else {}))
    if form.is_valid():
        try:
            call(p, form.cleaned_data)
        except AccessDenied as exc:
            raise Http404 from exc
        except ConflictError as exc:
            p = _open(request, participation_id, "sida")
            return _detail(request, p, {}, status=_status(request, 409), conflict=exc.messages[0])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, done)
            return _redirect_back(request, p)
    p = _open(request, participation_id, "sida")
    return _detail(request, p, {key: form}, status=_status(request, 400))


def _redirect_back(request: HttpRequest, p: Participation) -> HttpResponse:
    return _redirect_to(request, reverse("participations:detail", args=[p.pk]))


def _redirect_to(request: HttpRequest, default: str) -> HttpResponse:
    """To the `next` the form carries when it is this site's, else to `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request)


@login_required
@requires("participations.assign_coach")
@require_POST
def assign(request: AuthenticatedHttpRequest, participation_id: int) -> HttpResponse:
    return _action(
        request,
        participation_id,
        "assign",
        forms.AssignCoachForm,
        lambda p, d: services.assign_coach(request.user, _actor(request), p.pk, version=d["version"], coach_id=d["coach"].pk),
        _("Coachen är tilldelad."),
        form_kwargs=lambda p: {"coaches": services.coaches_of(p.unit_id)},
    )


@login_required
@requires("participations.take")
@require_POST
def take(request: AuthenticatedHttpRequest, participation_id: int) -> HttpResponse:
    """A coach takes an unassigned participant of her unit (issue 10 item 2). She may reach the
    participant only through her unit's list of participants without coach, so a refusal is told
    where she came from, not on the participation page she may not open."""
    form = forms.TakeForm(request.POST, prefix="take")
    fallback = reverse("participations:unassigned")
    if not form.is_valid():
        messages.error(request, _("Sidan var inaktuell. Försök igen."))
        return _redirect_to(request, fallback)
    try:
        services.take(request.user, _actor(request), participation_id, version=form.cleaned_data["version"])
    except AccessDenied as exc:
        raise Http404 from exc
    except (ConflictError, DomainError) as exc:
        messages.error(request, exc.messages[0])
        return _redirect_to(request, fallback)
    messages.success(request, _("Du är nu personlig coach för deltagaren."))
    return _redirect_to(request, reverse("participations:detail", args=[participation_id]))


@login_required
@requires("participations.book_appointment")
@require_POST
def book(request: AuthenticatedHttpRequest, participation_id: int) -> HttpResponse:
    return _action(
        request,
        participation_id,
        "book",
        forms.AppointmentForm,
        lambda p, d: services.book(
            request.user,
            _actor(request),
            p.pk,
            starts_at=d["appointment_at"],
            place=d["appointment_place"],
            coach_id=d["appointment_coach"].pk,
        ),
        _("Besökstiden är bokad."),
        form_kwargs=lambda p: {"coaches": services.coaches_of(p.unit_id)},
    )


# --- visits: one page per visit with its next steps, and the coach's week ---------------------


def _visit_call(request: AuthenticatedHttpRequest, action: str, pk: int, d: dict[str, Any]) -> Any:
    user, actor, version = request.user, _actor(request), d["version"]
    if action == "reschedule":
        return services.reschedule(
            user, actor, pk, version=version, starts_at=d["appointment_at"], place=d["appointment_place"],
            coach_id=d["appointment_coach"].pk,
        )
    if action == "cancel":
        return services.cancel_visit(user, actor, pk, version=version, reason=d["reason"])
    step = services.mark_held if action == "hold" else services.mark_no_show
    return step(user, actor, pk, version=version)


VISIT_DONE = {
    "reschedule": _("Besöket är ombokat."),
    "cancel": _("Besöket är inställt."),
    "hold": _("Besöket är registrerat som genomfört."),
    "no_show": _("Besöket är registrerat som uteblivet. Hemstadsdelen har fått en avvikelse."),
}


def _visit_forms(appointment: Any, coaches: Any, bound: dict[str, Any]) -> dict[str, Any]:
    initial = {"version": appointment.version}
    when = timezone.localtime(appointment.starts_at)
    page_forms = {
        "reschedule": forms.VisitRescheduleForm(
            coaches=coaches, prefix="reschedule",
            initial={**initial, "appointment_at": when, "appointment_place": appointment.place,
                     "appointment_coach": appointment.coach_id},
        ),
        "cancel": forms.VisitCancelForm(prefix="cancel", initial=initial),
        "hold": forms.VisitStepForm(prefix="hold", initial=initial),
        "no_show": forms.VisitStepForm(prefix="no_show", initial=initial),
    }
    page_forms.update(bound)
    return page_forms


@login_required
@requires("participations.manage_visits", refused=Http404)
@never_cache
@require_http_methods(["GET", "POST"])
def visit(request: AuthenticatedHttpRequest, appointment_id: int) -> HttpResponse:
    """A visit and the steps it may take now: reschedule, cancel with a reason, held, no-show."""
    appointment = selectors.visit(appointment_id)
    if appointment is None:
        raise Http404
    p = _open(request, appointment.participation_id, "besök")
    coaches = services.coaches_of(p.unit_id)
    bound: dict[str, Any] = {}
    conflict = None
    action = request.POST.get("action", "")
    if request.method == "POST":
        form_class = {"reschedule": forms.VisitRescheduleForm, "cancel": forms.VisitCancelForm}.get(action, forms.VisitStepForm)
        kwargs = {"coaches": coaches} if action == "reschedule" else {}
        form = form_class(request.POST, prefix=action if action in VISIT_DONE else "hold", **kwargs)
        action = action if action in VISIT_DONE else "hold"
        bound[action] = form
        if form.is_valid():
            try:
                _visit_call(request, action, appointment.pk, form.cleaned_data)
            except AccessDenied as exc:
                raise Http404 from exc
            except ConflictError as exc:
                conflict = exc.messages[0]
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, VISIT_DONE[action])
                return redirect("participations:detail", p.pk)
        appointment = selectors.visit(appointment_id) or appointment
    context = {
        "p": p,
        "person": p.person,
        "visit": appointment,
        "steps": selectors.visit_steps(request.user, appointment),
        "forms": _visit_forms(appointment, coaches, bound),
        "open_action": action,
        "conflict": conflict,
    }
    status = _status(request, 409 if conflict else 400) if request.method == "POST" else 200
    return render(request, "participations/visit.html", context, status=status)


@login_required
@requires("participations.visit_calendar")
@never_cache
def calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The coach's visits of one week, Monday to Friday (?vecka=2026-W48), with links to each person."""
    today = timezone.localdate()
    monday = rules.week_monday(request.GET.get("vecka"), today)
    visits = list(selectors.week_visits(request.user, monday))
    log_listed(Actor.from_request(request), "besökskalender", list(dict.fromkeys(v.participation.person for v in visits)))
    days = []
    for offset in range(5):
        day = monday + datetime.timedelta(days=offset)
        days.append((day, [v for v in visits if timezone.localdate(v.starts_at) == day]))
    week = datetime.timedelta(days=7)
    context = {
        "days": days,
        "monday": monday,
        "friday": monday + datetime.timedelta(days=4),
        "week_number": monday.isocalendar()[1],
        "previous": rules.iso_week(monday - week),
        "next": rules.iso_week(monday + week),
        "this_week": rules.iso_week(today),
        "is_this_week": rules.iso_week(today) == rules.iso_week(monday),
        "today": today,
    }
    return render(request, "participations/calendar.html", context)


@login_required
@requires("participations.enrol")
@require_POST
def arrive(request: AuthenticatedHttpRequest, participation_id: int) -> HttpResponse:
    return _action(
        request,
        participation_id,
        "arrive",
        forms.ArrivalForm,
        lambda p, d: services.record_arrival(
            request.user, _actor(request), p.pk, version=d["version"], arrived_on=d["arrived_on"]
        ),
        _("Ankomsten är registrerad. Aktivitetsplanen ska upprättas inom fem arbetsdagar."),
    )


@login_required
@requires("participations.enrol")
@require_POST
def af_registration(request: AuthenticatedHttpRequest, participation_id: int) -> HttpResponse:
    return _action(
        request,
        participation_id,
        "af",
        forms.AFRegistrationForm,
        lambda p, d: services.record_af_registration(
            request.user,
            _actor(request),
            p.pk,
            version=d["version"],
            registered=yes_no(d["af_registered"]),
            registered_on=d.get("af_registered_on"),
        ),
        _("Uppgiften om Arbetsförmedlingen är sparad."),
    )


@login_required
@requires("participations.enrol")
@require_POST
def information(request: AuthenticatedHttpRequest, participation_id: int) -> HttpResponse:
    return _action(
        request,
        participation_id,
        "information",
        forms.InformationForm,
        lambda p, d: services.sign_off_information(
            request.user,
            _actor(request),
            p.pk,
            version=d["version"],
            rights=d["informed_rights"],
            duty=d["informed_duty"],
            consequences=d["informed_consequences"],
            signed_on=d["signed_on"],
        ),
        _("Informationen är signerad."),
    )


@login_required
@requires("participations.enrol")
@require_POST
def job_guarantee(request: AuthenticatedHttpRequest, participation_id: int) -> HttpResponse:
    return _action(
        request,
        participation_id,
        "job_guarantee",
        forms.JobGuaranteeForm,
        lambda p, d: services.record_job_guarantee_offer(
            request.user, _actor(request), p.pk, version=d["version"], offered_on=d["offered_on"], text=d["text"]
        ),
        _("Erbjudandet är registrerat."),
    )


@login_required
@requires("participations.interrupt")
@require_POST
def interrupt(request: AuthenticatedHttpRequest, participation_id: int) -> HttpResponse:
    return _action(
        request,
        participation_id,
        "interrupt",
        forms.InterruptForm,
        lambda p, d: services.interrupt(
            request.user,
            _actor(request),
            p.pk,
            version=d["version"],
            start=d["start_date"],
            reason=d["reason"],
            reason_text=d.get("reason_text", ""),
        ),
        _("Avbrottet är registrerat. Tidsfristerna står still tills nystart."),
    )


@login_required
@requires("participations.interrupt")
@require_POST
def restart(request: AuthenticatedHttpRequest, participation_id: int) -> HttpResponse:
    return _action(
        request,
        participation_id,
        "restart",
        forms.RestartForm,
        lambda p, d: services.restart(request.user, _actor(request), p.pk, version=d["version"], on=d["end_date"]),
        _("Nystarten är registrerad. Tidsfristerna löper igen."),
    )


def _outcome(d: dict[str, Any]) -> Outcome:
    return Outcome(
        reason=d.get("reason", ""),
        employment_form=d.get("employment_form", ""),
        employment_extent=d.get("employment_extent", ""),
        wage_subsidy=d.get("wage_subsidy", ""),
        employment_lasts_a_month=yes_no(d.get("employment_lasts_a_month", "")),
        study_level=d.get("study_level", ""),
        transfer_to=d.get("transfer_to", ""),
        text=d.get("text", ""),
    )


@login_required
@requires("participations.close")
@never_cache
@require_http_methods(["GET", "POST"])
def close(request: AuthenticatedHttpRequest, participation_id: int) -> HttpResponse:
    """Avslut: its own page, because the outcome questions depend on the reason.

    With htmx, choosing a reason re-renders the form with only that reason's questions
    (GET ?reason=); without it every question is shown, grouped under its reason. The answers
    sent along with the reason are shown again, unvalidated: errors only after a POST.
    """
    p = _open(request, participation_id, "avslut")
    if not selectors.steps(request.user, p).get(Action.CLOSE):
        raise PermissionDenied
    status, conflict = 200, None
    if request.method == "POST":
        form = forms.CloseForm(request.POST)
        if form.is_valid():
            try:
                services.close(
                    request.user,
                    _actor(request),
                    p.pk,
                    version=form.cleaned_data["version"],
                    closed_on=form.cleaned_data["closed_on"],
                    outcome=_outcome(form.cleaned_data),
                    end_activities=end_activities_at_closure,
                )
            except ConflictError as exc:
                conflict, status = exc.messages[0], 409
                p = services.load(p.pk) or p
                # What the coach typed stays on the page, on top of the current version: they read
                # the conflict message and the participation as it is now, then save again.
                form = forms.CloseForm(initial={"version": p.version})
                form.keep_values(request.POST)
                form.initial["version"] = p.version
            except DomainError as exc:
                form.add_domain_error(exc)
                status = 400
            else:
                messages.success(request, _("Deltagandet är avslutat. Uppföljning efter 2 och 8 månader är inlagd."))
                return redirect("participations:detail", p.pk)
        else:
            status = 400
        reason = request.POST.get("reason", "")
    else:
        reason = request.GET.get("reason", "")
        form = forms.CloseForm(initial={"version": p.version})
        form.keep_values(request.GET)
    context = {"p": p, "person": p.person, "form": form, "reason": reason, "groups": forms.CloseForm.GROUPS, "conflict": conflict}
    return render(request, "participations/close.html", context, status=_status(request, status))


@login_required
@requires("participations.read", refused=Http404)  # follow_up: asked per participation, audited
@never_cache
@require_http_methods(["GET", "POST"])
def followup(request: AuthenticatedHttpRequest, followup_id: int) -> HttpResponse:
    """Post-closure follow-up at 2 or 8 months (DOMAIN §7)."""
    item = PostClosureFollowUp.objects.select_related("participation__person").filter(pk=followup_id).first()
    if item is None:
        raise Http404
    what = f"deltagande {item.participation_id}: uppföljning efter avslut"
    person = item.participation.person
    try:
        # The social-assistance reduction is the closure section's (access.sections, issue 8 item 7).
        require_section(request.user, _actor(request), Section.CLOSURE, what, person.pk, protected=person.is_protected)
    except AccessDenied as exc:
        raise Http404 from exc
    p = _open(request, item.participation_id, "uppföljning efter avslut")
    item = PostClosureFollowUp.objects.get(pk=followup_id)
    status, conflict = 200, None
    if request.method == "POST":
        form = forms.FollowUpForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.record_followup(
                    request.user,
                    _actor(request),
                    item.pk,
                    version=d["version"],
                    reduction_kr=d.get("assistance_reduction_kr"),
                    sustained=yes_no(d["outcome_sustained"]),
                    note=d.get("note", ""),
                )
            except AccessDenied as exc:
                raise Http404 from exc
            except ConflictError as exc:
                conflict, status = exc.messages[0], 409
                item.refresh_from_db()
                form = forms.FollowUpForm(initial={"version": item.version})
            except DomainError as exc:
                form.add_domain_error(exc)
                status = 400
            else:
                messages.success(request, _("Uppföljningen är sparad."))
                return redirect("participations:detail", p.pk)
        else:
            status = 400
    else:
        form = forms.FollowUpForm(
            initial={
                "version": item.version,
                "assistance_reduction_kr": item.assistance_reduction_kr,
                "outcome_sustained": forms.YES_NO_INITIAL.get(item.outcome_sustained),
                "note": item.note,
            }
        )
    context = {"p": p, "person": p.person, "item": item, "form": form, "conflict": conflict, "today": timezone.localdate()}
    return render(request, "participations/followup.html", context, status=_status(request, status))


@login_required
@requires("participations.assign_coach")
@never_cache
def assignments(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The manager's page: caseload balance per coach and the participations still without an assigned coach."""
    unit_id = _require_unit(request, _("Sidan är för enhetschefer."))
    balance = list(selectors.caseload_balance(unit_id))
    # One coach list for every row: a ModelChoiceField would query it again per row.
    coaches = [(c.pk, c.get_full_name() or c.get_username()) for c in services.coaches_of(unit_id)]
    context = {
        **_unassigned_rows(request, selectors.unassigned(request.user), "fördelning av coacher"),
        "balance": balance,
        "coaches": coaches,
        "next": reverse("participations:assignments"),
    }
    return render(request, "participations/assignments.html", context)


def _require_unit(request: AuthenticatedHttpRequest, message: str) -> int:
    """The user's Jobbtorg unit; a user without one is refused with `message`."""
    if not request.user.jobbtorg_unit_id:
        raise PermissionDenied(message)
    return request.user.jobbtorg_unit_id


def _unassigned_rows(request: AuthenticatedHttpRequest, qs: Any, what: str) -> dict[str, Any]:
    """The first UNASSIGNED_ROWS of a list of participants without an assigned coach and how many
    there are: a figure that links here is the same count (selectors.unassigned for the manager)."""
    rows = list(qs[: selectors.UNASSIGNED_ROWS])
    total = len(rows) if len(rows) < selectors.UNASSIGNED_ROWS else qs.count()
    log_listed(_actor(request), what, [p.person for p in rows])
    return {"rows": rows, "total": total}


@login_required
@requires("participations.take")
@never_cache
def unassigned(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The coach's list of her unit's participants without an assigned coach, each with "Ta ärendet"."""
    _require_unit(request, _("Sidan är för coacher på ett jobbtorg."))
    rows = _unassigned_rows(request, selectors.intake_pool(request.user), "deltagare utan coach")
    # After taking one she goes to the participation, now hers, where its next step is.
    return render(request, "participations/unassigned.html", rows)
