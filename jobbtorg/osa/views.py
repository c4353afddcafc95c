"""OSA pages at /osa/: the officer's list, a new case, the case page with its forms, annual places.

Thin: parse a form, call osa.services, redirect or render the errors. Every page works as
a plain form post. A case the user is not responsible for is a 404 (nothing leaks); a
stale version a 409 with a Swedish message; bad input the page again with field errors.
"""

import io
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobbtorg.access.services import log_listed, open_person
from jobbtorg.accounts.http import AuthenticatedHttpRequest
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core.capabilities import holds, may, requires
from jobbtorg.core.errors import AccessDenied, ConflictError, DomainError
from jobbtorg.osa import forms, rules, selectors, services
from jobbtorg.osa.models import OsaCase


@login_required
@requires("osa.read")
@never_cache
@require_GET
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The OSA officer's own cases, overdue follow-ups first."""
    cases = list(selectors.officer_cases(request.user)[:200])
    log_listed(Actor.from_request(request), f"OSA-lista · {services.DATA_GROUP}", [c.person for c in cases])
    return render(request, "osa/index.html", {"osa_cases": cases, "osa_today": timezone.localdate()})


@login_required
@requires("osa.manage")
@never_cache
@require_http_methods(["GET", "POST"])
def new(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    actor = Actor.from_request(request)
    user = request.user
    if request.method == "GET":
        try:
            person, _decision = open_person(user, actor, person_id, f"ny OSA-anställning · {services.DATA_GROUP}")
        except AccessDenied as exc:
            raise Http404 from exc
        if not may(user, "osa.manage", home_district_id=person.home_district_id):
            raise PermissionDenied
        form = forms.CaseForm(initial={"months": rules.FIRST_PERIOD_MONTHS})
        return render(request, "osa/new.html", {"person": person, "form": form})
    form = forms.CaseForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            case = services.create_case(
                user, actor, person_id, employer_id=d["employer"].pk if d["employer"] else None, workplace=d["workplace"],
                grounds=d["grounds"], assessed_on=d["assessed_on"], assessed_by_district=d["assessed_by_district"],
                assessed_by_af=d["assessed_by_af"], af_unit_id=d["af_unit"].pk if d["af_unit"] else None,
                assessment_outcome=d["assessment_outcome"], assessment_note=d["assessment_note"],
                start_date=d["start_date"], months=d["months"], length_reason=d["length_reason"],
            )  # fmt: skip
        except AccessDenied as exc:
            raise Http404 from exc
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("OSA-anställningen är registrerad."))
            return redirect("osa:detail", case_id=case.pk)
    from jobbtorg.people.models import Person

    shown = Person.objects.filter(pk=person_id).first()
    if shown is None:
        raise Http404
    return render(request, "osa/new.html", {"person": shown, "form": form}, status=400)


def _item_initial(case: OsaCase) -> list[dict[str, Any]]:
    plan = getattr(case, "plan", None)
    current = plan.versions.order_by("-number").first() if plan else None
    if current is None:
        return []
    return [
        {"activity": i.activity, "responsible": i.responsible, "responsible_name": i.responsible_name,
         "planned_on": i.planned_on, "note": i.note}
        for i in current.items.all()
    ]  # fmt: skip


def _forms(case: OsaCase) -> dict[str, Any]:
    plan = getattr(case, "plan", None)
    return {
        "extension": forms.ExtensionForm(initial={"version": case.version}, prefix="extension"),
        "review": forms.ReviewForm(prefix="review", initial={"reviewed_on": timezone.localdate()}),
        "plan": forms.PlanForm(initial={"version": plan.version if plan else 0}, prefix="plan"),
        "items": forms.PlanItemFormSet(initial=_item_initial(case), prefix="items"),
        "meeting": forms.MeetingForm(prefix="meeting", initial={"held_on": timezone.localdate()}),
        "transition": forms.TransitionForm(initial={"version": case.version, "planned": case.transition_planned},
                                           prefix="transition"),  # fmt: skip
        "transfer": forms.TransferForm(initial={"version": case.version}, prefix="transfer"),
        "end": forms.EndForm(initial={"version": case.version, "ended_on": timezone.localdate()}, prefix="end"),
    }


def _detail(request: AuthenticatedHttpRequest, case: OsaCase, bound: dict[str, Any] | None = None, status: int = 200,
            conflict: str | None = None) -> HttpResponse:  # fmt: skip
    page_forms = _forms(case)
    page_forms.update(bound or {})
    context = {"case": case, "person": case.person, "forms": page_forms, "conflict": conflict,
               "today": timezone.localdate(), **selectors.case_detail(request.user, case),
               "step": dict.fromkeys(services.allowed_actions(request.user, case), True)}  # fmt: skip
    return render(request, "osa/detail.html", context, status=status)


@login_required
@requires("osa.read", refused=Http404)
@never_cache
@require_GET
def detail(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    try:
        case = services.open_case(request.user, Actor.from_request(request), case_id, "sida")
    except AccessDenied as exc:
        raise Http404 from exc
    return _detail(request, case)


def _action(request: AuthenticatedHttpRequest, case_id: int, key: str, build: Callable[[], Any], call: Callable[[Any], Any],
            done: str) -> HttpResponse:  # fmt: skip
    """POST one section's form: call the service, or show the case page again with the errors."""
    actor = Actor.from_request(request)
    form = build()
    extra_valid = True
    if key == "plan":
        items = forms.PlanItemFormSet(request.POST, prefix="items")
        extra_valid = items.is_valid()
    if form.is_valid() and extra_valid:
        try:
            call(form.cleaned_data if key != "plan" else (form.cleaned_data, items.cleaned_data))
        except AccessDenied as exc:
            raise Http404 from exc
        except ConflictError as exc:
            case = services.open_case(request.user, actor, case_id, "sida")
            return _detail(request, case, status=409, conflict=exc.messages[0])
        except DomainError as exc:
            _add_errors(form, items if key == "plan" else None, exc)
        else:
            messages.success(request, done)
            return redirect("osa:detail", case_id=case_id)
    try:
        case = services.open_case(request.user, actor, case_id, "sida")
    except AccessDenied as exc:
        raise Http404 from exc
    bound: dict[str, Any] = {key: form}
    if key == "plan":
        bound["items"] = items
    return _detail(request, case, bound, status=400)


def _add_errors(form: Any, items: Any, exc: DomainError) -> None:
    """Field errors onto the form; a plan row's error ("items.2.activity") onto that row of the formset."""
    if items is None or not hasattr(exc, "error_dict"):
        form.add_domain_error(exc)
        return
    for name, messages_ in exc.message_dict.items():
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "items" and parts[1].isdigit() and int(parts[1]) < len(items.forms):
            for message in messages_:
                items.forms[int(parts[1])].add_error(parts[2], message)
        else:
            for message in messages_:
                form.add_error(name if name in form.fields else None, message)


@login_required
@requires("osa.manage", refused=Http404)
@require_POST
def extend(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    return _action(
        request, case_id, "extension", lambda: forms.ExtensionForm(request.POST, prefix="extension"),
        lambda d: services.extend(request.user, Actor.from_request(request), case_id,
                                  version=d["version"], months=d["months"]),
        _("Förlängningen är registrerad."),
    )  # fmt: skip


@login_required
@requires("osa.manage", refused=Http404)
@require_POST
def review(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    return _action(
        request, case_id, "review", lambda: forms.ReviewForm(request.POST, prefix="review"),
        lambda d: services.record_review(request.user, Actor.from_request(request), case_id,
                                         reviewed_on=d["reviewed_on"], outcome=d["outcome"], reasoning=d["reasoning"]),
        _("Den individuella prövningen är registrerad."),
    )  # fmt: skip


@login_required
@requires("osa.manage", refused=Http404)
@require_POST
def plan(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    def call(data: Any) -> Any:
        head, items = data
        return services.save_plan(request.user, Actor.from_request(request), case_id,
                                  version=head["version"], items=list(items), note=head["note"])  # fmt: skip

    return _action(request, case_id, "plan", lambda: forms.PlanForm(request.POST, prefix="plan"), call,
                   _("Genomförandeplanen är sparad som en ny version."))  # fmt: skip


@login_required
@requires("osa.manage", refused=Http404)
@require_POST
def meeting(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    return _action(
        request, case_id, "meeting", lambda: forms.MeetingForm(request.POST, prefix="meeting"),
        lambda d: services.record_meeting(request.user, Actor.from_request(request), case_id,
                                          held_on=d["held_on"], parties=d["parties"], notes=d["notes"]),
        _("Mötet är registrerat."),
    )  # fmt: skip


@login_required
@requires("osa.manage", refused=Http404)
@require_POST
def transition(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    return _action(
        request, case_id, "transition", lambda: forms.TransitionForm(request.POST, prefix="transition"),
        lambda d: services.set_transition(request.user, Actor.from_request(request), case_id,
                                          version=d["version"], planned=d["planned"]),
        _("Uppgiften om övergång är sparad."),
    )  # fmt: skip


@login_required
@requires("osa.manage", refused=Http404)
@require_POST
def transfer(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    return _action(
        request, case_id, "transfer", lambda: forms.TransferForm(request.POST, prefix="transfer"),
        lambda d: services.decide_transfer(request.user, Actor.from_request(request), case_id,
                                           version=d["version"], to_district_id=d["to_district"].pk if d["to_district"] else None,
                                           handover_on=d["handover_on"], note=d["note"]),
        _("Överflyttningen är beslutad."),
    )  # fmt: skip


@login_required
@requires("osa.manage", refused=Http404)
@require_POST
def end(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    return _action(
        request, case_id, "end", lambda: forms.EndForm(request.POST, prefix="end"),
        lambda d: services.end_case(request.user, Actor.from_request(request), case_id, version=d["version"],
                                    ended_on=d["ended_on"], reason=d["reason"], reason_text=d["reason_text"]),
        _("OSA-anställningen är avslutad."),
    )  # fmt: skip


# --- annual places --------------------------------------------------------------------------------

def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@login_required
@requires("osa.places")
@never_cache
@require_http_methods(["GET", "POST"])
def places(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Planned vs used annual places per district and year (aggregates, no persons)."""
    user = request.user
    year = _year(request)
    form = None
    status = 200
    if holds(user, "osa.manage_places"):
        if request.method == "POST":
            form = forms.PlacesForm(request.POST)
            if form.is_valid():
                d = form.cleaned_data
                try:
                    services.set_annual_places(
                        user, district_id=user.district_id, year=d["year"], planned=d["planned"],
                        af_unit_id=d["af_unit"].pk if d["af_unit"] else None, version=d["version"],
                    )  # fmt: skip
                except ConflictError as exc:
                    form.add_error(None, exc.messages[0])
                    status = 409
                except DomainError as exc:
                    form.add_domain_error(exc)
                else:
                    messages.success(request, _("Årsplatserna är sparade."))
                    return redirect(f"{request.path}?ar={d['year']}")
            status = status if status != 200 else 400
        rows = selectors.annual_places(year)
        own = next((r for r in rows if r.district.pk == user.district_id), None)
        if form is None:
            form = forms.PlacesForm(initial={"year": year, "planned": own.planned if own else 0,
                                             "version": own.places.version if own and own.places else None,
                                             "af_unit": own.places.af_unit_id if own and own.places else None})  # fmt: skip
    elif request.method == "POST":
        raise PermissionDenied
    rows = selectors.annual_places(year)
    planned = sum(r.planned for r in rows)
    used = round(sum(r.used_place_years for r in rows), 2)
    totals = {
        "planned": planned,
        "used": used,
        "persons": sum(r.persons for r in rows),
        "utilisation": rules.utilisation(planned, used),
    }
    return render(request, "osa/places.html", {"rows": rows, "year": year, "form": form, "totals": totals,
                                               "years": range(year - 2, year + 2)}, status=status)  # fmt: skip


@login_required
@requires("osa.places")
@require_GET
def places_excel(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The annual-places report as Excel. It may leave the unit: counts of persons below 5 are "<5"."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from jobbtorg.core.excel import append_row

    year = _year(request)
    rows = selectors.annual_places(year)
    book = Workbook()
    sheet = book.active
    sheet.title = f"OSA-platser {year}"
    # Every row through append_row: a district named "=…" stays text, not a formula (issue 8 item 10).
    append_row(sheet, [_("OSA-platser per stadsdel %(year)s") % {"year": year}])
    sheet["A1"].font = Font(bold=True)
    append_row(sheet, [_("Antal personer under 5 visas som <5, och då visas inte heller använda platser och nyttjande.")])
    append_row(sheet, [_("Stadsdel"), _("Planerade årsplatser"), _("Använda årsplatser"), _("Personer"), _("Nyttjande (%)")])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for r in rows:
        small = 0 < r.persons < rules.SMALL_CELL
        append_row(sheet, [
            r.district.name, r.planned, "<5" if small else r.used_place_years, rules.suppress(r.persons),
            "<5" if small else (r.utilisation if r.utilisation is not None else "–"),
        ])  # fmt: skip
    sheet.column_dimensions["A"].width = 28
    for col in "BCDE":
        sheet.column_dimensions[col].width = 20
    out = io.BytesIO()
    book.save(out)
    record(Actor.from_request(request), Action.EXPORT, f"OSA-platser {year} (Excel) · {services.DATA_GROUP}", None)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="osa-platser-{year}.xlsx"'
    return response
