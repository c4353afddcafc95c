"""Referral pages: the district's list, the referral form, the CSV import, and returning
a referral for completion. Thin: parse, call referrals.services, render.

Every page works as a plain form post; htmx adds the personnummer look-up and the
coach list for the chosen unit (progressive enhancement, no inline script).
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from jobbtorg.access.listing import CappedPaginator
from jobbtorg.access.policy import visible_persons
from jobbtorg.access.services import log_listed
from jobbtorg.accounts.http import AuthenticatedHttpRequest
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core import personnummer
from jobbtorg.core.capabilities import holds, requires
from jobbtorg.core.errors import AccessDenied, DomainError
from jobbtorg.organisation.models import JobbtorgUnit
from jobbtorg.organisation.selectors import unit_for_district
from jobbtorg.participations.forms import ReturnReferralForm
from jobbtorg.referrals import csv_import, selectors, services
from jobbtorg.referrals.forms import ImportForm, ReferralForm, ResubmitForm, WithdrawForm
from jobbtorg.referrals.models import ImportJob, Referral, ReferralImport

PAGE_SIZE = 25
POLL_SECONDS = 1  # how often the import page asks for progress while the job runs


def _error_status(request: HttpRequest, status: int) -> int:
    # htmx does not swap 4xx answers by default; the page with its error summary must show.
    return 200 if getattr(request, "htmx", False) else status


SOCIAL_WORKER_ONLY = gettext_lazy("Sidan är för socialsekreterare i hemstadsdelen.")


def _require_social_worker(request: AuthenticatedHttpRequest) -> None:
    if not services.may_refer(request.user):
        raise PermissionDenied(SOCIAL_WORKER_ONLY)


@login_required
@requires("referrals.read", message=SOCIAL_WORKER_ONLY)
@never_cache
def referral_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The district's referrals, newest first; ?state=returned shows the returned ones."""
    _require_social_worker(request)
    state = request.GET.get("state") if request.GET.get("state") in Referral.State.values else None
    referrals = selectors.district_referrals(request.user, state)
    # ?import=<id>: the referrals one import created (the link from its job page).
    batch = None
    if request.GET.get("import", "").isdigit() and request.user.district_id is not None:
        batch = ReferralImport.objects.filter(pk=int(request.GET["import"]), district_id=request.user.district_id).first()
        referrals = referrals.filter(import_batch=batch) if batch else referrals.none()
    # The district's whole referral history: counted to COUNT_CAP at most (access.listing).
    page = CappedPaginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    log_listed(Actor.from_request(request), "anvisningar: lista", [r.participation.person for r in page.object_list])
    # The referrals the state table still lets the district withdraw (before enrolment).
    may_withdraw = holds(request.user, "referrals.withdraw")
    withdrawable = {r.pk for r in page.object_list if may_withdraw and selectors.may_withdraw(r)}
    context = {"page": page, "state": state, "states": Referral.State.choices, "batch": batch, "withdrawable": withdrawable}
    return render(request, "referrals/list.html", context)


@login_required
@requires("referrals.refer", message=SOCIAL_WORKER_ONLY)
@never_cache
@require_http_methods(["GET", "POST"])
def referral_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_social_worker(request)
    if request.method == "POST":
        form = ReferralForm(request.POST, receiving_unit=_receiving_unit(request, request.POST))
        if form.is_valid():
            try:
                referral = services.create_referral(request.user, Actor.from_request(request), form.referral_input())
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Anvisningen är skickad och första besöket bokat."))
                return redirect("participations:detail", referral.participation_id)
        return render(request, "referrals/form.html", {"form": form}, status=_error_status(request, 400))
    form = ReferralForm(receiving_unit=_receiving_unit(request, request.GET))
    return render(request, "referrals/form.html", {"form": form})


def _receiving_unit(request: AuthenticatedHttpRequest, data: QueryDict) -> JobbtorgUnit | None:
    """The unit the referral goes to: the chosen one, else the one serving the worker's district on
    the referral date (today when none is given); None when neither can be told."""
    raw_unit = data.get("unit", "")
    if raw_unit.isdigit():
        chosen = JobbtorgUnit.objects.filter(pk=int(raw_unit), valid_to__isnull=True).first()
        if chosen is not None:
            return chosen
    try:
        day = datetime.date.fromisoformat(data.get("referred_on", ""))
    except ValueError:
        day = timezone.localdate()
    if request.user.district_id is None:
        return None
    try:
        return unit_for_district(request.user.district_id, day)
    except DomainError:
        return None


@login_required
@requires("referrals.refer", message=SOCIAL_WORKER_ONLY)
@never_cache
def person_lookup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """htmx: who does the typed personnummer belong to, within the worker's access?"""
    _require_social_worker(request)
    raw = request.GET.get("personnummer", "").strip()
    context: dict[str, object] = {"raw": raw}
    if raw:
        try:
            number = personnummer.normalise(raw, today=timezone.localdate())
        except ValidationError as exc:
            context["error"] = exc.messages[0]
        else:
            person = visible_persons(request.user).filter(personnummer=number).select_related("home_district").first()
            context["person"] = person
            if person is not None:
                log_listed(Actor.from_request(request), "anvisning: personsök", [person], action=Action.SEARCH)
    return render(request, "referrals/_person_lookup.html", context)


@login_required
@requires("referrals.refer", message=SOCIAL_WORKER_ONLY)
@never_cache
def coach_options(request: AuthenticatedHttpRequest) -> HttpResponse:
    """htmx: the coach select for the receiving unit (the chosen one, else the service area's)."""
    _require_social_worker(request)
    unit = _receiving_unit(request, request.GET)
    form = ReferralForm(receiving_unit=unit)
    return render(request, "referrals/_coach_select.html", {"field": form["appointment_coach"], "unit": unit})


def _import_page(request: AuthenticatedHttpRequest, form: ImportForm, errors: list[str], status: int = 200) -> HttpResponse:
    context = {"form": form, "errors": errors, "columns": csv_import.COLUMNS, "groups": selectors.target_groups(),
               "max_rows": csv_import.MAX_ROWS}  # fmt: skip
    return render(request, "referrals/import.html", context, status=status)


@login_required
@requires("referrals.refer", message=SOCIAL_WORKER_ONLY)
@never_cache
@require_http_methods(["GET", "POST"])
def referral_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a CSV file: checked for size, encoding, header and rows at once, then imported by a
    background task (every row or none); the job page shows the progress and the report."""
    _require_social_worker(request)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        errors: list[str] = []
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read(csv_import.MAX_BYTES + 1)
            job, errors = csv_import.start_job(request.user, Actor.from_request(request), content, filename=upload.name or "")
            if job is not None:
                return redirect("referrals:import_job", job.pk)
        return _import_page(request, form, errors, status=_error_status(request, 400))
    return _import_page(request, ImportForm(), [])


@login_required
@requires("referrals.refer", message=SOCIAL_WORKER_ONLY)
@never_cache
def import_job(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    """Progress and report of one import, for the social worker who uploaded it only: the report
    names rows of a file with personnummer. htmx polls the progress part while the job runs."""
    _require_social_worker(request)
    job = ImportJob.objects.filter(pk=job_id, uploaded_by=request.user).select_related("batch").first()
    if job is None:
        record(Actor.from_request(request), Action.READ, "anvisningar: importjobb", None, allowed=False)
        raise Http404
    context = {"job": job, "poll_seconds": POLL_SECONDS}
    if getattr(request, "htmx", False):
        return render(request, "referrals/_import_progress.html", context)
    return render(request, "referrals/import_job.html", context)


@login_required
@requires("participations.return_referral")
@require_POST
def referral_return(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    """The Jobbtorg sends the referral back for completion (from the participation page)."""
    form = ReturnReferralForm(request.POST, prefix="return")
    referral = Referral.objects.filter(pk=referral_id).only("participation_id").first()
    if referral is None:
        raise Http404
    if form.is_valid():
        try:
            services.return_referral(request.user, Actor.from_request(request), referral_id, reason=form.cleaned_data["reason"])
        except AccessDenied as exc:
            raise Http404 from exc
        except DomainError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Anvisningen är återsänd till stadsdelen."))
    else:
        for error in form.errors.get("reason", []):
            messages.error(request, str(error))  # ErrorList yields its messages as text
    return redirect("participations:detail", referral.participation_id)


@login_required
@requires("referrals.refer", message=SOCIAL_WORKER_ONLY)
@never_cache
@require_http_methods(["GET", "POST"])
def referral_resubmit(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    """The district completes a returned referral."""
    _require_social_worker(request)
    referral = selectors.district_referrals(request.user).filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    if request.method == "POST":
        form = ResubmitForm(request.POST)
        if form.is_valid():
            try:
                services.resubmit_referral(request.user, Actor.from_request(request), referral_id, **form.resubmit_values())
            except AccessDenied as exc:
                raise Http404 from exc
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Anvisningen är kompletterad och skickad till jobbtorget igen."))
                return redirect("referrals:list")
        status = _error_status(request, 400)
    else:
        form = ResubmitForm(
            initial={
                "first_name": referral.participation.person.first_name,
                "last_name": referral.participation.person.last_name,
                "target_groups": list(referral.target_groups.all()),
                "basis": referral.basis,
                "consent_given_on": referral.consent_given_on,
                "consent_scope": referral.consent_scope,
                "legal_ground": referral.legal_ground,
            }
        )
        status = 200
    return render(request, "referrals/resubmit.html", {"form": form, "referral": referral}, status=status)


@login_required
@requires("referrals.withdraw", message=SOCIAL_WORKER_ONLY)
@never_cache
@require_http_methods(["GET", "POST"])
def referral_withdraw(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    """The district withdraws its referral before the person has been enrolled, with a reason."""
    referral = selectors.district_referrals(request.user).filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    form = WithdrawForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.withdraw_referral(request.user, Actor.from_request(request), referral_id,
                                           reason=form.cleaned_data["reason"])
            except AccessDenied as exc:
                raise Http404 from exc
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Anvisningen är återkallad. Deltagandet är avslutat."))
                return redirect("referrals:list")
        status = _error_status(request, 400)
    context = {"form": form, "referral": referral, "may_withdraw": selectors.may_withdraw(referral)}
    return render(request, "referrals/withdraw.html", context, status=status)
