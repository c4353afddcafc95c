"""Pages for substitutes (vikarie) and emergency access (nödåtkomst), issue 8 item 6.

Thin: parse a form, call access.services, redirect or render the errors. A role without the
right gets a 403, a person outside the unit search the same 404 as the person page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from jobbtorg.access import forms, selectors, services
from jobbtorg.access.listing import log_shown
from jobbtorg.access.policy import check_person, emergency_candidates, may_request_emergency_access
from jobbtorg.accounts.http import AuthenticatedHttpRequest
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor
from jobbtorg.core import personnummer
from jobbtorg.core.capabilities import requires
from jobbtorg.core.errors import AccessDenied, DomainError


def _status(request: HttpRequest, status: int) -> int:
    # htmx does not swap 4xx answers by default; the page with its error summary must show.
    return 200 if getattr(request, "htmx", False) else status


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request)


@login_required
@requires("access.manage_substitutions", message=gettext_lazy("Sidan är för coacher och enhetschefer."))
@never_cache
@require_http_methods(["GET", "POST"])
def substitutions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The unit manager names substitutes for any coach of her unit; a coach names her own."""
    user = request.user
    if not services.may_manage_substitutions(user):
        raise PermissionDenied(_("Sidan är för coacher och enhetschefer."))
    is_manager = services.names_for_others(user)
    coaches = [(c.pk, c.get_full_name() or c.get_username()) for c in services.unit_coaches(user.jobbtorg_unit_id)]
    substitute_choices = coaches if is_manager else [c for c in coaches if c[0] != user.pk]
    status = 200
    if request.method == "POST":
        form = forms.SubstitutionForm(request.POST, coaches=substitute_choices, choose_absent=is_manager)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.create_substitution(
                    user,
                    _actor(request),
                    absent_coach_id=data.get("absent_coach"),
                    substitute_id=data["substitute"],
                    valid_from=data["valid_from"],
                    valid_to=data["valid_to"],
                )
            except DomainError as exc:
                form.add_domain_error(exc)
                status = 400
            else:
                messages.success(
                    request,
                    _("%(substitute)s är vikarie för %(absent)s %(start)s–%(end)s.")
                    % {
                        "substitute": created.substitute.get_full_name() or created.substitute.get_username(),
                        "absent": created.absent_coach.get_full_name() or created.absent_coach.get_username(),
                        "start": created.valid_from.isoformat(),
                        "end": created.valid_to.isoformat(),
                    },
                )
                return redirect("access:substitutions")
        else:
            status = 400
    else:
        today = timezone.localdate()
        form = forms.SubstitutionForm(
            coaches=substitute_choices, choose_absent=is_manager, initial={"valid_from": today}
        )
    today = timezone.localdate()
    rows = list(selectors.substitutions_for(user, today)[: selectors.MAX_ROWS])
    for row in rows:
        row.may_revoke = services.may_revoke(user, row) and not row.is_revoked and row.valid_to >= today  # type: ignore[attr-defined]
    context = {"form": form, "rows": rows, "today": today, "is_manager": is_manager}
    return render(request, "access/substitutions.html", context, status=_status(request, status))


@login_required
@requires("access.manage_substitutions", message=gettext_lazy("Du kan inte återkalla den här vikarien."))
@require_POST
def revoke_substitution(request: AuthenticatedHttpRequest, substitution_id: int) -> HttpResponse:
    try:
        services.revoke_substitution(request.user, _actor(request), substitution_id)
    except AccessDenied as exc:
        raise PermissionDenied(_("Du kan inte återkalla den här vikarien.")) from exc
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Vikarien är återkallad."))
    return redirect("access:substitutions")


@login_required
@requires("access.request_emergency_access", message=gettext_lazy("Nödåtkomst kan bara begäras av coacher vid ett jobbtorg."))
@never_cache
@require_http_methods(["GET", "POST"])
def emergency(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Nödåtkomst: a coach finds a person of her unit by full personnummer and, stating a reason,
    opens the person page for 24 hours. Protected identities are never found here."""
    user = request.user
    if not may_request_emergency_access(user):
        raise PermissionDenied(_("Nödåtkomst kan bara begäras av coacher vid ett jobbtorg."))
    today = timezone.localdate()
    status = 200
    person = None
    already = False
    access_form = None
    if request.method == "POST":
        access_form = forms.EmergencyAccessForm(request.POST)
        if access_form.is_valid():
            try:
                services.grant_emergency_access(
                    user, _actor(request), access_form.cleaned_data["person"], access_form.cleaned_data["reason"]
                )
            except AccessDenied:
                return render(request, "people/not_found.html", status=404)
            except DomainError as exc:
                access_form.add_domain_error(exc)
                status = 400
            else:
                messages.warning(
                    request,
                    _("Du har nödåtkomst till personen i 24 timmar. Åtkomsten loggas och granskas av enhetschefen."),
                )
                return redirect("people:detail", access_form.cleaned_data["person"])
        else:
            status = 400
        # The form again, under the same person (still only among the unit's candidates).
        raw_id = str(access_form.data.get("person", ""))
        person = None
        if raw_id.isdigit() and len(raw_id) <= 18:
            person = emergency_candidates(user, today).filter(pk=int(raw_id)).first()
        search_form = forms.EmergencySearchForm(initial={"personnummer": person.personnummer_display if person else ""})
    else:
        search_form = forms.EmergencySearchForm(request.GET or None)
        if search_form.is_bound and search_form.is_valid():
            try:
                number = personnummer.normalise(search_form.cleaned_data["personnummer"])
            except ValidationError as exc:
                search_form.add_error("personnummer", exc)
                status = 400
            else:
                person = emergency_candidates(user, today).select_related("home_district").filter(
                    personnummer=number
                ).first()
        elif search_form.is_bound:
            status = 400
    if person is not None:
        log_shown(request, "nödåtkomst: sökträff", [person], action=Action.SEARCH)
        decision = check_person(user, person, today)
        already = decision.allowed
        if access_form is None:
            access_form = forms.EmergencyAccessForm(initial={"person": person.pk})
    context = {
        "search_form": search_form,
        "person": person,
        "already": already,
        "access_form": access_form,
        "searched": search_form.is_bound or request.method == "POST",
    }
    return render(request, "access/emergency.html", context, status=_status(request, status))


@login_required
@requires("access.sign_emergency_access", message=gettext_lazy("Sidan är för enhetschefer."))
@never_cache
def emergency_review(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The unit manager's sign-off list: her unit's emergency accesses, unsigned first."""
    user = request.user
    if not services.may_sign(user):
        raise PermissionDenied(_("Sidan är för enhetschefer."))
    rows = list(selectors.emergency_accesses_to_review(user)[: selectors.MAX_ROWS])
    log_shown(request, "nödåtkomster att signera", [row.person for row in rows])
    context = {
        "rows": rows,
        "unsigned": sum(1 for row in rows if not row.is_signed),
        "now": timezone.now(),
    }
    return render(request, "access/emergency_review.html", context)


@login_required
@requires("access.read")
@require_POST
def sign_emergency_access(request: AuthenticatedHttpRequest, access_id: int) -> HttpResponse:
    try:
        services.sign_emergency_access(request.user, _actor(request), access_id)
    except AccessDenied as exc:
        raise PermissionDenied(_("Du kan inte signera den här nödåtkomsten.")) from exc
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Nödåtkomsten är signerad."))
    return redirect("access:emergency_review")
