"""Log review pages (LEGAL.md: logging and log review).

- "Vem har tittat på den här personen": /logg/person/?personnummer=… (any common form; the
  lookup is itself logged, "sökte på personnummer") leads to /logg/person/<id>/
- "Vad har den här användaren gjort": /logg/anvandare/?anvandare=… (also HR's: audit.staff_log)
- "Ovanliga åtkomster": /logg/ovanliga/?typ=nekade|skyddade|manga
- "Ändringar av användare och behörigheter": /logg/behorigheter/ (users, roles, units,
  named staff, tokens, protection levels: who changed whom, old → new)
- each as CSV for the monthly review: the same URL + csv/

Open to the system administrator and unit managers (selectors.review_scope says
which entries each sees); the start page and the user log also to HR. Anybody else gets 403,
and the refused attempt is logged. A unit manager who asks for the log of a person outside her
unit (or with a protected identity) is told she may not (403 with the reason, logged as a
refusal), not shown an empty list. Every review is itself logged: looking at a person's log as
a read concerning that person, an export as Action.EXPORT without a person.

Entries are shown in words ("öppnade kartläggningen", audit.formatting.describe) and grouped
per visit (one user's entries with no gap over 30 minutes); the stored text is kept behind a
"Teknisk uppgift" for the reviewer. Lists show person ids only, never names or personnummer:
the log is reviewed by people who may have no relation to the person (protected identities).
HR sees no person ids and no stored texts.
"""

import csv
import datetime
from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.audit import selectors
from jobbtorg.audit.events import AuditEvent
from jobbtorg.audit.formatting import (
    ACTION_LABELS,
    OUTCOME_LABELS,
    change_rows,
    csv_cell,
    describe,
    redact,
    role_label,
    visits,
)
from jobbtorg.audit.forms import (
    AdminChangesForm,
    PeriodForm,
    PersonLogForm,
    PersonLookupForm,
    UnusualForm,
    UnusualKind,
    UserLogForm,
)
from jobbtorg.audit.models import Action, AuditEntry
from jobbtorg.audit.services import Actor, record
from jobbtorg.core.capabilities import requires

PAGE_SIZE = 50
CSV_CHUNK = 2000


def reviewer_required(what: str) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Let reviewers through; refuse (403) and log anybody else."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not selectors.can_review(request.user):  # the capability "audit.review"
                record(Actor.from_request(request), Action.READ, what, kwargs.get("person_id"), allowed=False)
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_capability = "audit.review"  # type: ignore[attr-defined]
        return wrapper

    return decorator


def _page(request: HttpRequest, rows: QuerySet[Any]) -> Any:
    # Paginator: one COUNT and one LIMIT/OFFSET query, whatever the number of rows.
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _entries(request: HttpRequest, entries: QuerySet[AuditEntry]) -> dict[str, Any]:
    """A page of entries, grouped per visit, and whether person ids and stored texts are shown
    (the log reviewer: yes; HR, who has only an employee's log: no)."""
    page_obj = _page(request, entries)
    return {"page_obj": page_obj, "visits": visits(page_obj), "show_persons": selectors.can_review(request.user)}


def _refused_person(request: HttpRequest, action: str, what: str, person_id: int | None) -> HttpResponseBase:
    """The reviewer may not see this person's log: say so (403), and log the refusal."""
    record(Actor.from_request(request), action, what, person_id, allowed=False)
    return render(request, "audit/refused.html", {"section": "person"}, status=403)


def _period_text(form: PeriodForm) -> str:
    start, end = form.period
    return f"{start.isoformat()}–{end.isoformat()}"


def _filter_values(form: PeriodForm, *names: str) -> dict[str, str]:
    values = {name: form.cleaned_data.get(name) for name in names}
    return {k: (v.isoformat() if isinstance(v, datetime.date) else str(v)) for k, v in values.items() if v}


def _filters(form: PeriodForm, *names: str) -> str:
    """The cleaned filters as a query string, for the CSV link and the redirect."""
    return urlencode(_filter_values(form, *names))


# --- pages ---------------------------------------------------------------------


@login_required
@requires(selectors.STAFF_LOG)
def index(request: HttpRequest) -> HttpResponseBase:
    context = {"section": "index", "reviews_all": selectors.reviews_all(request.user, selectors.STAFF_LOG)}
    return render(request, "audit/index.html", context)


@reviewer_required("Loggranskning: vem har tittat på personen")
def person_log_search(request: HttpRequest) -> HttpResponseBase:
    """The personnummer form. The lookup is logged ("sökte på personnummer") with the person it
    found; a person the reviewer may see leads to the person's log, filters kept. A unit manager
    is told she may not for anyone outside her unit, and for a number nobody has (so that the
    answer does not tell whether the person exists)."""
    if not request.GET:
        return render(request, "audit/person_log.html", {"form": PersonLookupForm(), "section": "person"})
    form = PersonLookupForm(request.GET)
    if not form.is_valid():
        return render(request, "audit/person_log.html", {"form": form, "section": "person"}, status=400)
    found = selectors.person_by_personnummer(form.cleaned_data["personnummer"])
    person_id, protected = found if found else (None, False)
    if person_id is None and selectors.reviews_all(request.user):
        record(Actor.from_request(request), Action.SEARCH, AuditEvent.LOG_PERSONNUMMER_LOOKUP, None)
        form.add_error("personnummer", _("Ingen person i Jobbtorg har det personnumret. Kontrollera siffrorna."))
        return render(request, "audit/person_log.html", {"form": form, "section": "person"})
    if person_id is None or not selectors.may_review_person(request.user, person_id):
        return _refused_person(request, Action.SEARCH, AuditEvent.LOG_PERSONNUMMER_LOOKUP, person_id)
    record(Actor.from_request(request), Action.SEARCH, AuditEvent.LOG_PERSONNUMMER_LOOKUP, person_id, protected=protected)
    url = reverse("audit:person_log", kwargs={"person_id": person_id})
    return HttpResponseRedirect(f"{url}?{_filters(form, 'fran', 'till')}")


@reviewer_required("Loggranskning: vem har tittat på personen")
def person_log(request: HttpRequest, person_id: int, as_csv: bool = False) -> HttpResponseBase:
    form = PersonLogForm(request.GET)
    if not form.is_valid():
        return render(request, "audit/person_log.html", {"form": form, "person_id": person_id, "section": "person"}, status=400)
    if not selectors.may_review_person(request.user, person_id):
        return _refused_person(request, Action.READ, AuditEvent.LOG_PERSON_REFUSED, person_id)
    entries = selectors.person_log(request.user, person_id, *form.period)
    what = f"vem har tittat på person {person_id}, {_period_text(form)}"
    if as_csv:
        return _entries_csv(request, entries, what, f"logg-person-{person_id}")
    record(Actor.from_request(request), Action.READ, f"Loggranskning: {what}", person_id)
    context = {
        "section": "person",
        "form": form,
        "person_id": person_id,
        **_entries(request, entries),
        "csv_url": reverse("audit:person_log_csv", kwargs={"person_id": person_id}) + "?" + _filters(form, "fran", "till"),
    }
    return render(request, "audit/person_log.html", context)


@login_required
@requires(selectors.STAFF_LOG)
def user_log(request: HttpRequest, as_csv: bool = False) -> HttpResponseBase:
    if not request.GET and not as_csv:
        return render(request, "audit/user_log.html", {"form": UserLogForm(), "section": "user"})
    form = UserLogForm(request.GET)
    if not form.is_valid():
        return render(request, "audit/user_log.html", {"form": form, "section": "user"}, status=400)
    username = form.cleaned_data["anvandare"]
    entries = selectors.user_log(request.user, username, *form.period)
    what = f"vad användaren {username} har tittat på, {_period_text(form)}"
    if as_csv:
        return _entries_csv(request, entries, what, "logg-anvandare", persons=selectors.can_review(request.user))
    record(Actor.from_request(request), Action.READ, f"Loggranskning: {what}", None)
    context = {
        "section": "user",
        "form": form,
        "username": username,
        **_entries(request, entries),
        "csv_url": reverse("audit:user_log_csv") + "?" + _filters(form, "anvandare", "fran", "till"),
    }
    return render(request, "audit/user_log.html", context)


@reviewer_required("Loggranskning: ovanliga åtkomster")
def unusual(request: HttpRequest, as_csv: bool = False) -> HttpResponseBase:
    form = UnusualForm(request.GET)
    if not form.is_valid():
        return render(request, "audit/unusual.html", {"form": form, "section": "unusual"}, status=400)
    kind = form.cleaned_data["typ"]
    threshold = form.cleaned_data["grans"]
    start, end = form.period
    label = dict(UnusualKind.CHOICES)[kind]
    what = f"ovanliga åtkomster ({kind}), {_period_text(form)}" + (f", fler än {threshold}" if kind == UnusualKind.BUSY else "")
    if kind == UnusualKind.BUSY:
        rows = selectors.busy_hours(request.user, start, end, threshold)
    elif kind == UnusualKind.PROTECTED:
        rows = selectors.protected_accesses(request.user, start, end)
    else:
        rows = selectors.refused_accesses(request.user, start, end)
    if as_csv:
        if kind == UnusualKind.BUSY:
            return _busy_csv(request, rows, what)
        return _entries_csv(request, rows, what, f"logg-ovanliga-{kind}")
    record(Actor.from_request(request), Action.READ, f"Loggranskning: {what}", None)
    context = {
        "section": "unusual",
        "form": form,
        "kind": kind,
        "kind_label": label,
        "threshold": threshold,
        "is_busy": kind == UnusualKind.BUSY,
        **(_entries(request, rows) if kind != UnusualKind.BUSY else {"page_obj": _page(request, rows)}),
        "csv_url": reverse("audit:unusual_csv") + "?" + _filters(form, "typ", "fran", "till", "grans"),
        "kinds": [
            {
                "key": key,
                "label": text,
                "url": "?" + urlencode({**_filter_values(form, "fran", "till", "grans"), "typ": key}),
                "current": key == kind,
            }
            for key, text in UnusualKind.CHOICES
        ],
    }
    return render(request, "audit/unusual.html", context)


@reviewer_required("Loggranskning: ändringar av användare och behörigheter")
def admin_changes(request: HttpRequest, as_csv: bool = False) -> HttpResponseBase:
    """Who changed whose role, unit, rights, token or a person's protection level, and how."""
    form = AdminChangesForm(request.GET)
    if not form.is_valid():
        return render(request, "audit/admin_changes.html", {"form": form, "section": "admin"}, status=400)
    entries = selectors.admin_changes(request.user, *form.period)
    what = f"ändringar av användare och behörigheter, {_period_text(form)}"
    if as_csv:
        return _changes_csv(request, entries, what)
    record(Actor.from_request(request), Action.READ, f"Loggranskning: {what}", None)
    context = {
        "section": "admin",
        "form": form,
        "page_obj": _page(request, entries),
        "csv_url": reverse("audit:admin_changes_csv") + "?" + _filters(form, "fran", "till"),
    }
    return render(request, "audit/admin_changes.html", context)


# --- CSV -------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write() hands the line back (streamed CSV)."""

    def write(self, value: str) -> str:
        return value


def _csv_response(rows: Iterable[Iterable[Any]], filename: str) -> StreamingHttpResponse:
    # Semicolon and a byte-order mark: what Excel with Swedish settings opens directly.
    writer = csv.writer(_Echo(), delimiter=";")

    def lines() -> Iterator[str]:
        yield "\ufeff"
        for row in rows:
            yield writer.writerow([csv_cell(value) for value in row])

    stamp = timezone.localdate().isoformat()
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _log_export(request: HttpRequest, what: str) -> None:
    record(Actor.from_request(request), Action.EXPORT, f"Loggexport: {what}", None)


def _entries_csv(
    request: HttpRequest, entries: QuerySet[AuditEntry], what: str, filename: str, *, persons: bool = True
) -> HttpResponseBase:
    """Every entry in the filter, not one page, each in words and with its stored text. Person ids
    only, no names, no personnummer; without `persons` (HR) not even the ids, the stored text or
    the flag (which would tell a protected identity)."""
    _log_export(request, what)
    header = [
        _("Tid"),
        _("Användare"),
        _("Roll"),
        _("Person-id"),
        _("Händelse"),
        _("Beskrivning"),
        _("Vad"),
        _("Utfall"),
        _("Klientadress"),
        _("Markerad för granskning"),
    ]
    tz = timezone.get_current_timezone()

    def rows() -> Iterator[list[Any]]:
        yield header
        fields = ("at", "username", "acting_role", "person_id", "action", "what", "outcome", "client_address", "flagged")
        for e in entries.values_list(*fields).iterator(chunk_size=CSV_CHUNK):
            at, username, role, person_id, action, text, outcome, address, flagged = e
            yield [
                timezone.localtime(at, tz).strftime("%Y-%m-%d %H:%M:%S"),
                username,
                role_label(role),
                person_id if persons else "",
                ACTION_LABELS.get(action, action),
                describe(action, text, outcome),
                redact(text) if persons else "",
                OUTCOME_LABELS.get(outcome, outcome),
                address,
                (_("ja") if flagged else _("nej")) if persons else "",
            ]

    return _csv_response(rows(), filename)


def _changes_csv(request: HttpRequest, entries: QuerySet[AuditEntry], what: str) -> HttpResponseBase:
    """One row per changed field: who, when, about whom, old → new, reason."""
    _log_export(request, what)
    tz = timezone.get_current_timezone()

    def rows() -> Iterator[list[Any]]:
        yield [_("Tid"), _("Användare"), _("Roll"), _("Vad"), _("Gäller användare"), _("Person-id"),
               _("Uppgift"), _("Före"), _("Efter"), _("Skäl"), _("Utfall")]
        fields = ("at", "username", "acting_role", "what", "details", "person_id", "outcome")
        for at, username, role, text, details, person_id, outcome in entries.values_list(*fields).iterator(
            chunk_size=CSV_CHUNK
        ):
            details = details if isinstance(details, dict) else {}
            concerns = f"{details.get('username', '')} (id {details['user_id']})" if details.get("user_id") else ""
            base = [timezone.localtime(at, tz).strftime("%Y-%m-%d %H:%M:%S"), username, role_label(role), redact(text),
                    concerns, person_id]
            tail = [redact(str(details.get("reason", ""))), OUTCOME_LABELS.get(outcome, outcome)]
            for field, old, new in change_rows(details) or [("", "", "")]:
                yield [*base, field, old, new, *tail]

    return _csv_response(rows(), "logg-behorigheter")


def _busy_csv(request: HttpRequest, rows_qs: QuerySet[Any], what: str) -> HttpResponseBase:
    _log_export(request, what)
    tz = timezone.get_current_timezone()

    def rows() -> Iterator[list[Any]]:
        yield [_("Användare"), _("Timme"), _("Antal personer"), _("Antal loggposter")]
        for row in rows_qs.iterator(chunk_size=CSV_CHUNK):
            yield [
                row["username"],
                timezone.localtime(row["hour"], tz).strftime("%Y-%m-%d %H:00"),
                row["persons"],
                row["entries"],
            ]

    return _csv_response(rows(), "logg-ovanliga-manga")
