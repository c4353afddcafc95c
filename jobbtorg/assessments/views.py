"""Assessment pages: the instrument in sections, each saved on its own (htmx, or a plain POST).

Thin: parse, call assessments.services / selectors, render. The health section is shown
only to the participation's own coach (and audited as its own data group); others see a
note that it is withheld. htmx requests get the section back (errors included, status 200
so htmx swaps it) plus the new row version for every form on the page (out-of-band swap);
plain POSTs redirect on success and re-render the page with errors (400/403/409).
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobbtorg.accounts.http import AuthenticatedHttpRequest
from jobbtorg.assessments import rules, selectors, services
from jobbtorg.assessments.forms import SectionForm, WorkExperienceForm, display_value, posted_version, section_form
from jobbtorg.assessments.models import Assessment, HealthInformation
from jobbtorg.audit.services import Actor
from jobbtorg.core.capabilities import may, requires
from jobbtorg.core.errors import AccessDenied, ConflictError, DomainError
from jobbtorg.participations import rules as participation_rules

FIELD_SECTION = {name: s.key for s in rules.SECTIONS for name in s.fields}
STALE_FORM = gettext_lazy("Formuläret saknar versionsuppgift eller är inaktuellt. Ladda om sidan och gör ändringen igen.")


def _via(request: HttpRequest) -> str:
    return f"{request.method} {request.path}"


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _status_for(error: ValidationError) -> int:
    if isinstance(error, ConflictError):
        return 409
    return getattr(error, "http_status", 400)


def _steps(user: Any, assessment: Assessment) -> set[str]:
    """The state machine's steps (assessments.rules.TRANSITIONS) this user may take on the version;
    none once the participation is closed."""
    participation = assessment.participation
    if not participation.is_open:
        return set()
    facts = participation_rules.facts(participation)
    return set(rules.allowed_steps(assessment.status, lambda capability: may(user, f"assessments.{capability}", **facts)))


def _can_edit(user: Any, assessment: Assessment) -> bool:
    return rules.Step.EDIT in _steps(user, assessment)


@dataclass
class SectionView:
    section: rules.Section
    form: SectionForm | None = None
    rows: list[tuple[str, str]] = field(default_factory=list)  # read-only label/value
    withheld: bool = False
    saved: bool = False
    error: ValidationError | None = None


def _occupation_matches(request: HttpRequest, param: str) -> list[Any]:
    return selectors.search_occupations(request.GET.get(param, "")[:100])


def _section_view(
    request: HttpRequest, assessment: Assessment, section: rules.Section, *, health_visible: bool,
    health: HealthInformation | None, editing: bool, form: SectionForm | None = None, **extra: Any,
) -> SectionView:
    if section.strict and not health_visible:
        return SectionView(section, withheld=True, **extra)
    instance: Any = health if section.strict else assessment
    if editing and section.fields:
        form = form or section_form(section.key, instance,
                                    occupation_matches=_occupation_matches(request, f"yrke_{section.key}"))
        return SectionView(section, form=form, **extra)
    rows = [(_field_label(instance, n), display_value(instance, n)) for n in section.fields]
    return SectionView(section, rows=rows, **extra)


def _field_label(instance: Any, name: str) -> str:
    """A section field's verbose name, capitalised; from the model when there is no health row yet."""
    model_field = type(instance or HealthInformation())._meta.get_field(name)
    assert isinstance(model_field, models.Field)  # sections list the model's own fields
    return str(model_field.verbose_name).capitalize()


def _page_context(request: AuthenticatedHttpRequest, assessment: Assessment, **overrides: Any) -> dict[str, Any]:
    """Everything the assessment page shows; `overrides` replaces one section's view or adds errors."""
    actor = Actor.from_request(request)
    health_visible, health = selectors.health_for(request.user, actor, assessment, via=_via(request))
    editing = _can_edit(request.user, assessment)
    sections = []
    for section in rules.SECTIONS:
        given = overrides.get("sections", {}).get(section.key)
        sections.append(given or _section_view(request, assessment, section, health_visible=health_visible, health=health,
                                               editing=editing))
    participation = assessment.participation
    versions = selectors.versions(participation)
    newest = versions[0] if versions else assessment
    return {
        "assessment": assessment,
        "participation": participation,
        "person": participation.person,
        "sections": sections,
        "editing": editing,
        "work_rows": list(assessment.work_experience.all()),
        "work_form": overrides.get("work_form") or (
            WorkExperienceForm(occupation_matches=_occupation_matches(request, "yrke_arbete"))
            if editing else None
        ),
        "health_visible": health_visible,
        "versions": versions,
        # The newest version only: a draft already under way is edited, not revised.
        "can_revise": newest.pk == assessment.pk and rules.Step.REVISE in _steps(request.user, assessment),
        "action_errors": overrides.get("action_errors", []),
        "occupation_queries": {key: request.GET.get(f"yrke_{key}", "") for key in ("mal", "arbete")},
    }


def _open(request: AuthenticatedHttpRequest, pk: int) -> Assessment:
    try:
        return selectors.open_assessment(request.user, Actor.from_request(request), pk, via=_via(request))
    except AccessDenied:
        raise Http404 from None


def _action_errors(error: ValidationError) -> list[tuple[str, str]]:
    """(anchor, message) pairs: each error links to its field (or its section)."""
    pairs: list[tuple[str, str]] = []
    if hasattr(error, "error_dict"):
        for name, msgs in error.message_dict.items():
            section = FIELD_SECTION.get(name)
            anchor = f"id_{section}-{name}" if section else ""
            pairs.extend((anchor, m) for m in msgs)
    else:
        pairs.extend(("", m) for m in error.messages)
    return pairs


@login_required
@requires("assessments.read", refused=Http404)
@never_cache
@require_http_methods(["GET", "POST"])
def participation_assessment(request: AuthenticatedHttpRequest, participation_id: int) -> HttpResponse:
    """GET: the newest version (or a start button). POST: start the draft (version 1 or a new version)."""
    actor = Actor.from_request(request)
    if request.method == "POST":
        try:
            draft, created = services.start_draft(request.user, actor, participation_id, via=_via(request))
        except AccessDenied:
            raise Http404 from None
        except DomainError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("assessments:participation", participation_id=participation_id)
        if created and draft.number > 1:
            messages.success(request, _("Ny version av kartläggningen påbörjad. Den förra versionen finns kvar i historiken."))
        return redirect("assessments:detail", pk=draft.pk)
    try:
        participation = selectors.open_participation(request.user, actor, participation_id, via=_via(request))
    except AccessDenied:
        raise Http404 from None
    versions = selectors.versions(participation)
    if versions:
        return redirect("assessments:detail", pk=versions[0].pk)
    can_start = participation.is_open and services.may_edit(request.user, participation)
    return render(request, "assessments/start.html", {"participation": participation, "person": participation.person,
                                                      "can_start": can_start})


@login_required
@requires("assessments.read", refused=Http404)
@never_cache
@require_GET
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = _open(request, pk)
    return render(request, "assessments/detail.html", _page_context(request, assessment))


def _section_response(request: AuthenticatedHttpRequest, pk: int, key: str, view: SectionView | None,
                      error: ValidationError | None, success: str, work_form: WorkExperienceForm | None = None) -> HttpResponse:
    """Answer a section save: htmx gets the section (and the new version out of band); a plain POST a redirect or the page."""
    assessment = _open(request, pk)
    spec = rules.SECTIONS_BY_KEY[key]
    if _is_htmx(request):
        editing = _can_edit(request.user, assessment)
        if view is None:
            # Only the health section reads (and audits) health information.
            health_visible, health = (
                selectors.health_for(request.user, Actor.from_request(request), assessment, via=_via(request))
                if spec.strict else (False, None)
            )
            view = _section_view(request, assessment, spec, health_visible=health_visible, health=health, editing=editing)
        view.saved = error is None
        view.error = error
        if error is None and request.headers.get("X-Autosave") and view.form is not None:
            # An autosave: only the version and the save state change; the form the user is typing in stays.
            response = render(request, "assessments/_autosaved.html", {"assessment": assessment, "s": view})
            response["HX-Reswap"] = "none"
            response["X-Saved"] = "1"
            return response
        if editing and work_form is None:
            work_form = WorkExperienceForm()
        context: dict[str, Any] = {"assessment": assessment, "s": view, "editing": editing, "work_form": work_form,
                   "work_rows": list(assessment.work_experience.all()), "occupation_queries": {}}
        response = render(request, "assessments/_section_response.html", context)
        if error is None:
            response["X-Saved"] = "1"
        elif isinstance(error, ConflictError):
            response["X-Conflict"] = "1"  # autosave stops: only a deliberate save may overwrite another's change
        return response
    if error is None:
        messages.success(request, success)
        return redirect(reverse("assessments:detail", kwargs={"pk": pk}) + f"#{key}")
    context = _page_context(request, assessment, sections={key: view} if view else {}, work_form=work_form)
    for s in context["sections"]:
        if s.section.key == key:
            s.error = error
    return render(request, "assessments/detail.html", context, status=_status_for(error))


@login_required
@requires("assessments.read", refused=Http404)
@never_cache
@require_POST
def section(request: AuthenticatedHttpRequest, pk: int, key: str) -> HttpResponse:
    """Save one section of a draft."""
    spec = rules.SECTIONS_BY_KEY.get(key)
    if spec is None or not spec.fields:
        raise Http404
    form = section_form(key, None, data=request.POST)
    version = posted_version(request.POST)
    error: ValidationError | None = None
    if version is None:
        error = ValidationError(STALE_FORM)
        form.apply_domain_errors(error)
    elif form.is_valid():
        values = {name: form.cleaned_data[name] for name in spec.fields}
        actor = Actor.from_request(request)
        try:
            if spec.strict:
                services.update_health(request.user, actor, pk, version, values, via=_via(request))
            else:
                services.update_assessment(request.user, actor, pk, version, values, via=_via(request))
        except AccessDenied:
            raise Http404 from None
        except DomainError as exc:
            error = exc
            form.apply_domain_errors(exc)
    else:
        error = ValidationError(_("Rätta felen i avsnittet och spara igen."))
    if error is None:
        return _section_response(request, pk, key, None, None, _("Avsnittet %(title)s är sparat.") % {"title": spec.title})
    return _section_response(request, pk, key, SectionView(spec, form=form), error, "")


@login_required
@requires("assessments.edit")
@never_cache
@require_POST
def work_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    key = "arbetslivserfarenhet"
    form = WorkExperienceForm(request.POST)
    version = posted_version(request.POST)
    error: ValidationError | None = None
    if version is None:
        error = ValidationError(STALE_FORM)
        form.apply_domain_errors(error)
    elif form.is_valid():
        try:
            services.add_work_experience(request.user, Actor.from_request(request), pk, version, form.row_values(),
                                         via=_via(request))
        except AccessDenied:
            raise Http404 from None
        except DomainError as exc:
            error = exc
            form.apply_domain_errors(exc)
    else:
        error = ValidationError(_("Rätta felen och lägg till raden igen."))
    if error is None:
        return _section_response(request, pk, key, None, None, _("Arbetslivserfarenheten är tillagd."))
    return _section_response(request, pk, key, None, error, "", work_form=form)


@login_required
@requires("assessments.edit")
@never_cache
@require_POST
def work_remove(request: AuthenticatedHttpRequest, pk: int, row_id: int) -> HttpResponse:
    key = "arbetslivserfarenhet"
    version = posted_version(request.POST)
    error: ValidationError | None = None
    if version is None:
        error = ValidationError(STALE_FORM)
    else:
        try:
            services.remove_work_experience(request.user, Actor.from_request(request), pk, version, row_id, via=_via(request))
        except AccessDenied:
            raise Http404 from None
        except DomainError as exc:
            error = exc
    return _section_response(request, pk, key, None, error, _("Raden är borttagen."))


@login_required
@requires("assessments.edit")
@never_cache
@require_POST
def complete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    version = posted_version(request.POST)
    try:
        if version is None:
            raise DomainError(STALE_FORM)
        services.complete_assessment(request.user, Actor.from_request(request), pk, version, today=timezone.localdate(),
                                     via=_via(request))
    except AccessDenied:
        raise Http404 from None
    except DomainError as error:
        assessment = _open(request, pk)
        context = _page_context(request, assessment, action_errors=_action_errors(error))
        return render(request, "assessments/detail.html", context, status=_status_for(error))
    messages.success(request, _("Kartläggningen är slutförd. Versionen är nu låst; ändringar görs i en ny version."))
    return redirect("assessments:detail", pk=pk)


@login_required
@requires("assessments.occupations")
@require_GET
def occupation_options(request: AuthenticatedHttpRequest) -> HttpResponse:
    """htmx: the <option>s of an occupation select for a search (no personal data)."""
    query = request.GET.get("q") or next((request.GET.get(k, "") for k in request.GET if k.startswith("yrke_")), "")
    matches = selectors.search_occupations(query[:100])
    return render(request, "assessments/_occupation_options.html", {"matches": matches, "query": query})
