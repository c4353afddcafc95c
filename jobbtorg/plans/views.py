"""Plan pages: thin. Parse the form, call plans.services or plans.selectors, render.

A refusal of access is a 404 (nothing about the person leaks); a refused step (wrong side,
wrong district) is shown as a Swedish message with 403; bad input re-renders the form with
the errors linked to their fields (400); a stale version re-renders with the conflict
message and the user's input kept (409), never a silent overwrite.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from jobbtorg.access.services import log_listed
from jobbtorg.accounts.http import AuthenticatedHttpRequest
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor
from jobbtorg.core.capabilities import may, requires
from jobbtorg.core.errors import AccessDenied, ConflictError, DomainError
from jobbtorg.participations import rules as participation_rules
from jobbtorg.plans import rules, selectors, services
from jobbtorg.plans.forms import DecisionForm, PlanForm, PlannedActivityForm
from jobbtorg.plans.models import ActivityPlan, Status

PAGE_SIZE = 25


def _via(request: HttpRequest) -> str:
    return f"{request.method} {request.path}"


def _can_edit(user: Any, plan_or_participation: Any) -> bool:
    participation = getattr(plan_or_participation, "participation", plan_or_participation)
    return may(user, "plans.edit", **participation_rules.facts(participation)) and participation.is_open


def _can_decide(user: Any, plan: ActivityPlan) -> bool:
    return may(user, "plans.decide", **participation_rules.facts(plan.participation))


def _status_for(error: ValidationError) -> int:
    if isinstance(error, ConflictError):
        return 409
    return getattr(error, "http_status", 400)


@login_required
@requires("plans.read", refused=Http404)
@never_cache
@require_http_methods(["GET", "POST"])
def participation_plans(request: AuthenticatedHttpRequest, participation_id: int) -> HttpResponse:
    """All versions of a participation's plan; POST draws up the first plan."""
    actor = Actor.from_request(request)
    if request.method == "POST":
        try:
            plan = services.create_plan(request.user, actor, participation_id, today=timezone.localdate(), via=_via(request))
        except AccessDenied:
            raise Http404 from None
        except DomainError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("plans:participation", participation_id=participation_id)
        messages.success(request, _("Aktivitetsplanen är påbörjad. Fyll i mål, datum och planerade aktiviteter."))
        return redirect("plans:detail", pk=plan.pk)
    try:
        participation = selectors.open_participation(request.user, actor, participation_id, via=_via(request))
    except AccessDenied:
        raise Http404 from None
    today = timezone.localdate()
    plan_versions = selectors.versions(participation)
    context = {
        "participation": participation,
        "person": participation.person,
        "versions": plan_versions,
        "overview": selectors.overview(participation, today),
        "can_create": _can_edit(request.user, participation)
        and rules.may_draw_up_new([plan.status for plan in plan_versions]),
        "today": today,
    }
    return render(request, "plans/participation.html", context)


def _detail_context(request: AuthenticatedHttpRequest, plan: ActivityPlan, **extra: Any) -> dict[str, Any]:
    today = timezone.localdate()
    can_edit = _can_edit(request.user, plan)
    editing = can_edit and plan.is_editable
    context: dict[str, Any] = {
        "plan": plan,
        "participation": plan.participation,
        "person": plan.participation.person,
        "activities": list(plan.activities.all()),
        "decisions": list(plan.decisions.all()),
        "can_edit": can_edit,
        "editing": editing,
        "can_submit": can_edit and rules.Step.SUBMIT in rules.allowed_steps(plan.status),
        "can_revise": can_edit and plan.status == Status.APPROVED and selectors.pending_plan(plan.participation) is None,
        "can_decide": _can_decide(request.user, plan) and bool(rules.district_steps(plan.status)),
        # The decisions the state table allows now (approve, return, reject): the page offers exactly these.
        "decision_steps": {step.value: True for step in rules.district_steps(plan.status)},
        "waiting_days": rules.waiting_days(plan.submitted_on, today) if plan.status == Status.SUBMITTED else None,
        "longest_review_date": rules.longest_review_date(plan.start_date) if plan.start_date else None,
        "today": today,
    }
    if editing:
        initial = {"version": plan.version, "goal": plan.goal, "start_date": plan.start_date, "review_date": plan.review_date,
                   "long_plan_reason": plan.long_plan_reason}
        context.setdefault("plan_form", PlanForm(initial=initial))
        context.setdefault("activity_form", PlannedActivityForm(
            initial={"version": plan.version, "start_date": plan.start_date}, prefix="activity"
        ))
    context.update(extra)
    return context


def _reload(request: AuthenticatedHttpRequest, pk: int, action: str = Action.READ) -> ActivityPlan:
    try:
        return selectors.open_plan(request.user, Actor.from_request(request), pk, via=_via(request), action=action)
    except AccessDenied:
        raise Http404 from None


@login_required
@requires("plans.read", refused=Http404)
@never_cache
@require_http_methods(["GET", "POST"])
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One plan version. For its coaches, while it is a draft or returned: the editor. POST saves the plan fields."""
    if request.method == "GET":
        return render(request, "plans/detail.html", _detail_context(request, _reload(request, pk)))
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            services.update_plan(request.user, Actor.from_request(request), pk, form.cleaned_data["version"],
                                 form.plan_values(), via=_via(request))
        except AccessDenied:
            raise Http404 from None
        except DomainError as error:
            form.apply_domain_errors(error)
            return render(request, "plans/detail.html", _detail_context(request, _reload(request, pk), plan_form=form),
                          status=_status_for(error))
        messages.success(request, _("Planen är sparad."))
        return redirect("plans:detail", pk=pk)
    return render(request, "plans/detail.html", _detail_context(request, _reload(request, pk), plan_form=form), status=400)


@login_required
@requires("plans.edit")
@never_cache
@require_POST
def activity_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = PlannedActivityForm(request.POST, prefix="activity")
    if form.is_valid():
        try:
            services.add_planned_activity(request.user, Actor.from_request(request), pk, form.cleaned_data["version"],
                                          form.activity_values(), via=_via(request))
        except AccessDenied:
            raise Http404 from None
        except DomainError as error:
            form.apply_domain_errors(error)
            return render(request, "plans/detail.html", _detail_context(request, _reload(request, pk), activity_form=form),
                          status=_status_for(error))
        messages.success(request, _("Aktiviteten är tillagd i planen."))
        return redirect(reverse("plans:detail", kwargs={"pk": pk}) + "#activities-heading")
    return render(request, "plans/detail.html", _detail_context(request, _reload(request, pk), activity_form=form), status=400)


def _simple_post(request: AuthenticatedHttpRequest, pk: int, call: Any, success: str, anchor: str = "") -> HttpResponse:
    """POST with only a version: run the service; errors come back as a message on the plan page."""
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        result = call(version)
    except AccessDenied:
        raise Http404 from None
    except DomainError as error:
        return render(request, "plans/detail.html", _detail_context(request, _reload(request, pk), action_error=error),
                      status=_status_for(error))
    messages.success(request, success)
    target = result.pk if isinstance(result, ActivityPlan) else pk
    return redirect(reverse("plans:detail", kwargs={"pk": target}) + anchor)


@login_required
@requires("plans.edit")
@never_cache
@require_POST
def activity_remove(request: AuthenticatedHttpRequest, pk: int, activity_id: int) -> HttpResponse:
    return _simple_post(
        request, pk,
        lambda version: services.remove_planned_activity(request.user, Actor.from_request(request), pk, version, activity_id,
                                                         via=_via(request)),
        _("Aktiviteten är borttagen ur planen."), "#activities-heading",
    )


@login_required
@requires("plans.edit")
@never_cache
@require_POST
def submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _simple_post(
        request, pk,
        lambda version: services.submit_plan(request.user, Actor.from_request(request), pk, version, via=_via(request)),
        _("Planen är skickad till stadsdelen för godkännande."),
    )


@login_required
@requires("plans.edit")
@never_cache
@require_POST
def revise(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _simple_post(
        request, pk,
        lambda version: services.revise_plan(request.user, Actor.from_request(request), pk, via=_via(request)),
        _("En ny version av planen är påbörjad. Den godkända versionen gäller tills stadsdelen har godkänt den nya."),
    )


@login_required
@requires("plans.decide", on_refusal=lambda request: render(request, "plans/queue_forbidden.html", status=403))
@never_cache
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The district's plans waiting for approval, oldest first, with waiting time in working days."""
    user = request.user
    district_id = getattr(user, "district_id", None)
    if not district_id:
        return render(request, "plans/queue_forbidden.html", status=403)
    today = timezone.localdate()
    page = Paginator(selectors.approval_queue_qs(district_id, viewer=user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.queue_rows(list(page.object_list), today)
    log_listed(Actor.from_request(request), f"{_via(request)} · {services.GROUP}", [r.person for r in rows])
    return render(request, "plans/queue.html", {"page": page, "rows": rows, "district": user.district, "today": today})


@login_required
@requires("plans.decide")
@never_cache
@require_http_methods(["GET", "POST"])
def decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The district's decision page: the plan, its assessment a click away, and approve, return
    (comment required) or reject (reason required)."""
    if request.method == "GET":
        plan = _reload(request, pk)
        form = DecisionForm(initial={"version": plan.version})
        return render(request, "plans/decide.html", _detail_context(request, plan, decision_form=form))
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        actor = Actor.from_request(request)
        try:
            if data["decision"] == DecisionForm.APPROVE:
                services.approve_plan(request.user, actor, pk, data["version"], data["comment"], via=_via(request))
                messages.success(request, _("Planen är godkänd."))
            elif data["decision"] == DecisionForm.REJECT:
                services.reject_plan(request.user, actor, pk, data["version"], data["comment"], via=_via(request))
                messages.success(request, _("Planen är avslagen. Coachen ser skälet och gör en ny plan."))
            else:
                services.return_plan(request.user, actor, pk, data["version"], data["comment"], via=_via(request))
                messages.success(request, _("Planen är skickad tillbaka till coachen med din kommentar."))
        except AccessDenied:
            raise Http404 from None
        except DomainError as error:
            form.apply_domain_errors(error)
            found = ActivityPlan.objects.filter(pk=pk).first()
            if found is None or isinstance(error, services.NotPermitted):
                # Refused (and audited) before anything about the person is shown.
                return render(request, "plans/refused.html", {"message": error.messages[0]}, status=403)
            return render(request, "plans/decide.html", _detail_context(request, _reload(request, pk), decision_form=form),
                          status=_status_for(error))
        return redirect("plans:queue")
    return render(request, "plans/decide.html", _detail_context(request, _reload(request, pk), decision_form=form), status=400)


@login_required
@requires("plans.read", refused=Http404)
@never_cache
def print_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A clean A4 page of one plan version (print CSS), with the protection marking where it applies."""
    plan = _reload(request, pk, action=Action.PRINT)
    return render(request, "plans/print.html", _detail_context(request, plan, printed_at=timezone.localtime()))
