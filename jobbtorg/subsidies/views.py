"""Subsidy pages (mounted at /stod/): the case list, a new case, the case page with its
actions and the lönebidrag timeline, the eligibility facts and evaluation per person, the
city-wide lönebidrag board with its drill-down list, and the reports with Excel downloads.

Thin: parse a form, call subsidies.services or .selectors, render. A refused relation
is a 404 (nothing leaks), a missing role right a 403, a stale version a 409. Which roles
see subsidy cases at all, and which kinds, is `access.sections` (issue 8 item 7): a case
of a refused section is a 404 like a case that does not exist, audited as refused.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobbtorg.access.services import log_listed
from jobbtorg.accounts.http import AuthenticatedHttpRequest
from jobbtorg.accounts.models import User
from jobbtorg.audit.services import Actor
from jobbtorg.core.capabilities import requires
from jobbtorg.core.errors import AccessDenied, ConflictError, DomainError
from jobbtorg.deadlines.rules import State, state_of
from jobbtorg.eligibility import services as eligibility_services
from jobbtorg.organisation.models import JobbtorgUnit
from jobbtorg.subsidies import forms, reports, rules, selectors, services
from jobbtorg.subsidies import steps as step_rules
from jobbtorg.subsidies.models import CaseStatus, StepStatus, SubsidyCase, SubsidyType
from jobbtorg.subsidies.rules import CaseStep

PAGE_SIZE = 25


def _status(request: HttpRequest, status: int) -> int:
    # htmx does not swap 4xx answers by default; the page with its error summary must show.
    return 200 if getattr(request, "htmx", False) else status


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request)


def _open_case(request: AuthenticatedHttpRequest, case_id: int, what: str) -> SubsidyCase:
    try:
        return services.open_case(request.user, _actor(request), case_id, what)
    except AccessDenied as exc:
        raise Http404 from exc


SECTION_REFUSED = gettext_lazy("Ärenden om anställningsstöd visas för coacher, enhetschefer och OSA-handläggare.")


def _section_for_change(request: AuthenticatedHttpRequest, case_id: int) -> None:
    """A change to a case of a refused section is a 404 like a read (audited as refused by the service)."""
    try:
        services.require_section_for_change(request.user, _actor(request), case_id)
    except AccessDenied as exc:
        raise Http404 from exc


# --- the case list and a new case ---------------------------------------------------------------------


@login_required
@requires("subsidies.read", message=SECTION_REFUSED)
@never_cache
@require_GET
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.require_section_for_lists(request.user, _actor(request), "stödärenden: lista")
    qs = selectors.visible_cases(request.user)
    status = request.GET.get("status", "")
    kind = request.GET.get("stod", "")
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    if kind in SubsidyType.values:
        qs = qs.filter(subsidy_type=kind)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    log_listed(_actor(request), "stödärenden: lista", [c.participation.person for c in rows])
    return render(
        request,
        "subsidies/index.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "kind": kind,
            "statuses": CaseStatus.choices,
            "kinds": SubsidyType.choices,
            "may_board": selectors.may_see_board(request.user),
            "query": _query_without_page(request),
        },
    )


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
@requires("subsidies.read")
@never_cache
@require_http_methods(["GET", "POST"])
def new(request: AuthenticatedHttpRequest, participation_id: int) -> HttpResponse:
    try:
        participation = services.open_new_case(request.user, _actor(request), participation_id)
    except AccessDenied as exc:
        raise Http404 from exc
    person = participation.person
    form = forms.CaseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                case = services.create_case(
                    request.user, _actor(request), services.NewCase.parsed(d, participation_id=participation.pk)
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Ärendet är registrerat."))
                return redirect("subsidies:detail", case.pk)
        status = _status(request, 400)
    context = {"form": form, "participation": participation, "person": person, "osa_warnings": services.osa_warnings(person.pk)}
    return render(request, "subsidies/new.html", context, status=status)


# --- the case page and its actions ------------------------------------------------------------------------


def _step_rows(case: SubsidyCase, today: datetime.date, bound: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    steps = list(case.steps.all())
    for step in steps:
        rule = step_rules.STEP_RULES[step_rules.StepKind(step.kind)]
        state = step.status
        if step.status == StepStatus.OPEN:  # paused and overdue as every deadline list says them
            clock = state_of(is_open=True, due=step.due_on, paused_on=step.paused_on, today=today)
            state = clock if clock in (State.PAUSED, State.OVERDUE) else state
        form = bound.get(f"step-{step.kind}")
        if form is None and step.status == StepStatus.OPEN and step.kind != step_rules.StepKind.INTRO_DECISION:
            form = forms.StepForm(kind=step.kind, initial={"version": case.version})
        rows.append(
            {
                "step": step,
                "rule": rule,
                "label": rule.label_for(case.route),
                "state": state,
                "form": form,
                "state_label": STATE_LABELS[state],
                "days_late": (today - step.due_on).days if state == "overdue" and step.due_on else None,
                "outcome_label": step_rules.STEP_OUTCOMES.get(step.kind, {}).get(step.outcome, ""),
            }
        )
    return rows


# gettext_lazy spelled out: makemessages finds these labels (an alias hid them from the catalogue).
STATE_LABELS = {
    "waiting": gettext_lazy("Väntar"),
    "open": gettext_lazy("Pågår"),
    "paused": gettext_lazy("Pausat – väntar på komplettering"),
    "overdue": gettext_lazy("Försenat"),
    "done": gettext_lazy("Klart"),
    "cancelled": gettext_lazy("Utgår"),
}


def _detail(
    request: AuthenticatedHttpRequest,
    case: SubsidyCase,
    bound: dict[str, Any] | None = None,
    status: int = 200,
    conflict: str | None = None,
) -> HttpResponse:
    bound = bound or {}
    today = timezone.localdate()
    initial = {"version": case.version}
    can = _can(request.user, case)
    targets = [rules.next_status(case.status, step) for step in (CaseStep.REFUSE, CaseStep.WITHDRAW) if can[step.value]]
    page_forms = {
        "edit": forms.EditCaseForm(
            initial={
                **initial,
                "preceded_by_practice": case.preceded_by_practice,
                "notification_text": case.notification_text,
                "planned_start": case.planned_start,
                "supervisor_contact": case.supervisor_contact_id,
                "supervisor_name": case.supervisor_name,
                "supervisor_phone": case.supervisor_phone,
                "supervisor_email": case.supervisor_email,
            },
            prefix="edit",
        ),
        "decision": forms.DecisionForm(initial={**initial, "period_from": case.planned_start}, prefix="decision"),
        "close": forms.CloseForm(initial=initial, prefix="close", targets=targets),
        "terminate": forms.TerminateForm(initial=initial, prefix="terminate"),
        "end": forms.EndForm(initial={**initial, "ended_on": case.period_to}, prefix="end"),
    }
    page_forms.update({k: v for k, v in bound.items() if not k.startswith("step-")})
    decision_missing = services.decision_missing(case, today) if case.is_open else []
    if not decision_missing:
        page_forms["decision"].fields.pop("missing_facts", None)
    steps = _step_rows(case, today, bound)
    context = {
        "case": case,
        "person": case.participation.person,
        "steps": steps,
        "warnings": services.case_warnings(case),
        "decision_missing": decision_missing,
        "documentation": eligibility_services.disability_documentation(case.participation.person, today, request.user)
        if case.subsidy_type == SubsidyType.LONEBIDRAG
        else None,
        "intro_latest": rules.intro_decision_latest(case.planned_start)
        if case.subsidy_type == SubsidyType.INTRODUKTIONSJOBB and case.planned_start
        else None,
        "forms": page_forms,
        "can": can,
        "is_lonebidrag": case.subsidy_type == SubsidyType.LONEBIDRAG,
        "conflict": conflict,
        "employer_line": step_rules.AF_EMPLOYER_LINE,
    }
    return render(request, "subsidies/detail.html", context, status=status)


def _can(user: User, case: SubsidyCase) -> dict[str, bool]:
    """What the page offers this user on this case: exactly the steps the transition table allows
    (rules.allowed_steps), plus editing an open case and registering steps (rules.CAPABILITIES)."""
    place = (user.role, user.jobbtorg_unit_id, case.participation.unit_id)
    allowed = rules.allowed_steps(case.status, case.subsidy_type, *place)
    return {
        **{step.value: step in allowed for step in CaseStep},
        "edit": case.is_open and rules.may("edit_case", *place),
        "complete_step": rules.may("complete_step", *place),
    }


@login_required
@requires("subsidies.read", refused=Http404)
@never_cache
@require_GET
def detail(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    return _detail(request, _open_case(request, case_id, "sida"))


def _action(
    request: AuthenticatedHttpRequest,
    case_id: int,
    key: str,
    form: forms.DomainForm,
    call: Callable[[dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    _section_for_change(request, case_id)
    if form.is_valid():
        try:
            result = call(form.cleaned_data)
        except AccessDenied as exc:
            raise Http404 from exc
        except ConflictError as exc:
            case = _open_case(request, case_id, "sida")
            return _detail(request, case, status=_status(request, 409), conflict=exc.messages[0])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, done)
            warnings = result[1] if isinstance(result, tuple) else []
            for warning in warnings:
                messages.warning(request, warning)
            return redirect("subsidies:detail", case_id)
    case = _open_case(request, case_id, "sida")
    return _detail(request, case, {key: form}, status=_status(request, 400))


@login_required
@requires("subsidies.read")
@require_POST
def edit(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    form = forms.EditCaseForm(request.POST, prefix="edit")
    return _action(
        request,
        case_id,
        "edit",
        form,
        lambda d: services.update_case(
            request.user, _actor(request), case_id, version=d["version"], data=services.CaseDetails.parsed(d)
        ),
        _("Ärendet är sparat."),
    )


@login_required
@requires("subsidies.read")
@require_POST
def decision(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    form = forms.DecisionForm(request.POST, prefix="decision")
    return _action(
        request,
        case_id,
        "decision",
        form,
        lambda d: services.record_decision(
            request.user,
            _actor(request),
            case_id,
            version=d["version"],
            decision_on=d["decision_on"],
            period_from=d["period_from"],
            period_to=d["period_to"],
            missing_facts=d.get("missing_facts", ""),
        ),
        _("Beslutet är registrerat."),
    )


@login_required
@requires("subsidies.read")
@require_POST
def close(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    form = forms.CloseForm(request.POST, prefix="close")
    return _action(
        request,
        case_id,
        "close",
        form,
        lambda d: services.close_without_grant(
            request.user, _actor(request), case_id, version=d["version"], target=d["target"], on=d["on"], reason=d["reason"]
        ),
        _("Ärendet är avslutat."),
    )


@login_required
@requires("subsidies.read")
@require_POST
def terminate(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    form = forms.TerminateForm(request.POST, prefix="terminate")
    return _action(
        request,
        case_id,
        "terminate",
        form,
        lambda d: services.terminate_early(
            request.user, _actor(request), case_id, version=d["version"], terminated_on=d["terminated_on"], reason=d["reason"]
        ),
        _("Avbrottet är registrerat. Anmäl det till Arbetsförmedlingens arbetsgivarlinje %(phone)s.")
        % {"phone": step_rules.AF_EMPLOYER_LINE},
    )


@login_required
@requires("subsidies.read")
@require_POST
def end(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    form = forms.EndForm(request.POST, prefix="end")
    return _action(
        request,
        case_id,
        "end",
        form,
        lambda d: services.end_case(request.user, _actor(request), case_id, version=d["version"], ended_on=d["ended_on"]),
        _("Ärendet är avslutat."),
    )


@login_required
@requires("subsidies.read")
@require_POST
def step(request: AuthenticatedHttpRequest, case_id: int, kind: str) -> HttpResponse:
    if kind not in step_rules.StepKind.__members__.values():
        raise Http404
    form = forms.StepForm(request.POST, kind=kind)
    return _action(
        request,
        case_id,
        f"step-{kind}",
        form,
        lambda d: services.complete_step(
            request.user,
            _actor(request),
            case_id,
            version=d["version"],
            kind=kind,
            done_on=d["done_on"],
            outcome=d.get("outcome", ""),
            note=d.get("note", ""),
            data=form.service_data(),
        ),
        _("Steget är registrerat."),
    )


# --- the city-wide lönebidrag board --------------------------------------------------------------------------


def _require_board(request: AuthenticatedHttpRequest) -> None:
    if not selectors.may_see_board(request.user):
        raise PermissionDenied(_("Tavlan visas för coacher, enhetschefer, analytiker och systemförvaltare."))


@login_required
@requires("subsidies.board")
@never_cache
@require_GET
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_board(request)
    today = timezone.localdate()
    rows = selectors.board(today)
    return render(
        request,
        "subsidies/board.html",
        {
            "rows": rows,
            "totals": selectors.board_totals(rows),
            "today": today,
            "may_list": selectors.may_list_from_board(request.user),
        },
    )


@login_required
@requires("subsidies.board_list")
@never_cache
@require_GET
def board_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not selectors.may_list_from_board(request.user):
        raise PermissionDenied(_("Listan med namn visas bara för roller med tillgång till personer."))
    today = timezone.localdate()
    kind = request.GET.get("steg", "")
    kind = kind if kind in [k.value for k in step_rules.LONEBIDRAG_STEPS] else ""
    try:
        unit_id = int(request.GET.get("enhet", "") or 0)
    except ValueError:
        unit_id = 0
    unit_id = unit_id if 0 < unit_id < 2**31 else 0
    overdue_only = request.GET.get("alla") != "1"
    qs = selectors.board_list(request.user, today, unit_id=unit_id or None, kind=kind, overdue_only=overdue_only)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for s in rows:
        s.days_late = (today - s.due_on).days if s.due_on and s.due_on < today else None  # type: ignore[attr-defined]
    log_listed(_actor(request), "lönebidrag tavla: lista", [s.case.participation.person for s in rows])
    unit = JobbtorgUnit.objects.filter(pk=unit_id).first() if unit_id else None
    return render(
        request,
        "subsidies/board_list.html",
        {
            "page": page,
            "rows": rows,
            "today": today,
            "unit": unit,
            "rule": step_rules.STEP_RULES[step_rules.StepKind(kind)] if kind else None,
            "overdue_only": overdue_only,
            "query": _query_without_page(request),
        },
    )


# --- reports ------------------------------------------------------------------------------------------------


def _year(request: HttpRequest, today: datetime.date) -> int:
    try:
        year = int(request.GET.get("ar", "") or today.year)
    except ValueError:
        year = today.year
    return year if 2000 <= year <= 2100 else today.year


@login_required
@requires("subsidies.board")
@never_cache
@require_GET
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_board(request)
    today = timezone.localdate()
    year = _year(request, today)
    return render(
        request,
        "subsidies/reports.html",
        {
            "year": year,
            "years": selectors.report_years(today),
            "case_rows": selectors.cases_by_month(year),
            "statuses": list(CaseStatus),
            "overdue_rows": [r for r in selectors.board(today) if r.overdue],
            "today": today,
        },
    )


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=reports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@requires("subsidies.board")
@require_GET
def report_cases_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_board(request)
    year = _year(request, timezone.localdate())
    return _download(services.export_cases(_actor(request), year), f"stodarenden-{year}.xlsx")


@login_required
@requires("subsidies.board")
@require_GET
def report_overdue_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_board(request)
    today = timezone.localdate()
    return _download(services.export_overdue(_actor(request), today), f"lonebidrag-forsenade-steg-{today.isoformat()}.xlsx")
