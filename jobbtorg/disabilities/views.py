"""The disability registrations of a person, at /funktionsnedsattning/person/<id>/ (own section).

Only the person's coach and the OSA officer of the home district get the page; a person
the user can not reach is a 404, a person they reach without the health relation a 403 -
nothing shown either way, every attempt logged with the data group "funktionsnedsättning".
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from jobbtorg.accounts.http import AuthenticatedHttpRequest
from jobbtorg.audit.services import Actor
from jobbtorg.core.capabilities import requires
from jobbtorg.core.errors import AccessDenied, ConflictError, DomainError
from jobbtorg.disabilities import forms, rules, selectors, services
from jobbtorg.disabilities.models import DisabilityRegistration


def _page(request: AuthenticatedHttpRequest, person_id: int, form: forms.RegistrationForm | None = None, status: int = 200,
          change_forms: dict[int, forms.ChangeForm] | None = None, conflict: str | None = None) -> HttpResponse:  # fmt: skip
    try:
        person, rows = selectors.registrations_for(request.user, Actor.from_request(request), person_id, "sida")
    except AccessDenied as exc:
        raise Http404 from exc
    today = timezone.localdate()
    change_forms = change_forms or {}
    items = []
    for r in rows:
        items.append({
            "reg": r,
            "status": selectors.status_of(r, today),
            "rule": rules.validity_text(r.code, r.sub_kind),
            "form": change_forms.get(r.pk) or forms.ChangeForm(
                prefix=f"r{r.pk}",
                initial={"version": r.version, "sub_kind": r.sub_kind, "documented_on": r.documented_on,
                         "source": r.source, "source_note": r.source_note},
            ),
        })  # fmt: skip
    context = {
        "person": person,
        "items": items,
        "form": form or forms.RegistrationForm(prefix="new"),
        "codes": rules.CODES.values(),
        "conflict": conflict,
    }
    return render(request, "disabilities/person.html", context, status=status)


@login_required
@requires("people.reach")
@never_cache
@require_http_methods(["GET", "POST"])
def person(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    if request.method == "GET":
        return _page(request, person_id)
    form = forms.RegistrationForm(request.POST, prefix="new")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.register(request.user, Actor.from_request(request), person_id, code=d["code"], sub_kind=d["sub_kind"],
                              documented_on=d["documented_on"], source=d["source"], source_note=d["source_note"])  # fmt: skip
        except AccessDenied as exc:
            raise Http404 from exc
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Funktionsnedsättningen är registrerad."))
            return redirect("disabilities:person", person_id=person_id)
    return _page(request, person_id, form=form, status=400)


@login_required
@requires("people.reach")
@never_cache
@require_http_methods(["POST"])
def change(request: AuthenticatedHttpRequest, registration_id: int) -> HttpResponse:
    reg = DisabilityRegistration.objects.filter(pk=registration_id).only("pk", "person_id").first()
    if reg is None:
        raise Http404
    form = forms.ChangeForm(request.POST, prefix=f"r{reg.pk}")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.change(request.user, Actor.from_request(request), reg.pk, version=d["version"], sub_kind=d["sub_kind"],
                            documented_on=d["documented_on"], source=d["source"], source_note=d["source_note"])  # fmt: skip
        except AccessDenied as exc:
            raise Http404 from exc
        except ConflictError as exc:
            return _page(request, reg.person_id, status=409, conflict=exc.messages[0])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Underlaget är ändrat."))
            return redirect("disabilities:person", person_id=reg.person_id)
    return _page(request, reg.person_id, change_forms={reg.pk: form}, status=400)
