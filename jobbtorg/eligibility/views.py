"""The eligibility page of a person (mounted at /stod/person/<id>/kvalificering/): the facts
the coach records, the labour-market history month by month, and the evaluation against each
subsidy's rule in force, with reasons.

Thin: parse a form, call eligibility.services, render. No relation is a 404; a role without
`record_eligibility_facts` a 403 (audited as refused by the service); a stale version a 409.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from jobbtorg.accounts.http import AuthenticatedHttpRequest
from jobbtorg.audit.services import Actor
from jobbtorg.core.capabilities import requires
from jobbtorg.core.errors import AccessDenied, ConflictError, DomainError
from jobbtorg.eligibility import forms as eligibility_forms
from jobbtorg.eligibility import rules, services
from jobbtorg.eligibility.models import SubsidyType


def _status(request: HttpRequest, status: int) -> int:
    # htmx does not swap 4xx answers by default; the page with its error summary must show.
    return 200 if getattr(request, "htmx", False) else status


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request)


@login_required
@requires("eligibility.read", refused=Http404)
@never_cache
@require_http_methods(["GET", "POST"])
def person(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    what = f"kvalificering person {person_id}"
    try:  # PermissionDenied (a role without subsidies) is logged as refused and answered 403
        person = services.open_facts(request.user, _actor(request), person_id, what)
    except AccessDenied as exc:
        raise Http404 from exc
    today = timezone.localdate()
    stored = services.facts_of(person)
    months = rules.month_choices(today, 24)
    kinds = {m.month: m.kind for m in person.labour_market_months.filter(month__in=months)}
    facts_form = eligibility_forms.FactsForm(
        initial={
            "version": stored.version if stored.pk else 0,
            **{
                n: eligibility_forms.tri_initial(getattr(stored, n))
                for n in ("registered_at_af", "establishment_programme", "job_guarantee", "newly_arrived")
            },
            "residence_permit_on": stored.residence_permit_on,
            "youth_guarantee_days": stored.youth_guarantee_days,
        },
        prefix="facts",
    )
    history_form = eligibility_forms.HistoryForm(months=months, initial_kinds=kinds, prefix="history")
    status = 200
    if request.method == "POST":
        section = request.POST.get("section")
        try:
            if section == "facts":
                facts_form = eligibility_forms.FactsForm(request.POST, prefix="facts")
                if facts_form.is_valid():
                    d = facts_form.cleaned_data
                    services.save_facts(
                        request.user,
                        _actor(request),
                        person.pk,
                        version=d.get("version") or None,
                        registered_at_af=eligibility_forms.tri(d["registered_at_af"]),
                        establishment_programme=eligibility_forms.tri(d["establishment_programme"]),
                        job_guarantee=eligibility_forms.tri(d["job_guarantee"]),
                        newly_arrived=eligibility_forms.tri(d["newly_arrived"]),
                        residence_permit_on=d["residence_permit_on"],
                        youth_guarantee_days=d["youth_guarantee_days"],
                    )
                    messages.success(request, _("Uppgifterna är sparade."))
                    return redirect("eligibility:person", person.pk)
            elif section == "history":
                history_form = eligibility_forms.HistoryForm(request.POST, months=months, initial_kinds=kinds, prefix="history")
                if history_form.is_valid():
                    services.save_history(request.user, _actor(request), person.pk, history_form.month_values())
                    messages.success(request, _("Historiken är sparad."))
                    return redirect("eligibility:person", person.pk)
        except ConflictError as exc:
            facts_form.add_error(None, exc.messages[0])
            status = 409
        except DomainError as exc:
            (facts_form if section == "facts" else history_form).add_domain_error(exc)
        status = _status(request, status if status != 200 else 400)
    evaluate_form = eligibility_forms.EvaluateForm(request.GET or None)
    evaluations = []
    on = today
    if evaluate_form.is_valid() and evaluate_form.cleaned_data.get("datum"):
        on = evaluate_form.cleaned_data["datum"]
    chosen = evaluate_form.cleaned_data.get("stod") if evaluate_form.is_valid() else ""
    for kind in [chosen] if chosen else SubsidyType.values:
        try:
            evaluations.append(services.evaluate_for(request.user, _actor(request), person.pk, kind, on))
        except DomainError as exc:
            evaluate_form.add_error(None, exc.messages[0])
            break
    return render(
        request,
        "eligibility/person.html",
        {
            "person": person,
            "facts_form": facts_form,
            "history_form": history_form,
            "evaluate_form": evaluate_form,
            "evaluations": evaluations,
            "on": on,
        },
        status=status,
    )
