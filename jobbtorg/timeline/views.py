"""Adding to a person's timeline from the person page: a correction (a new entry pointing at
the old one) and the participant's objection (LEGAL.md, SoL 14 kap. 3 och 6 §§).

Interface only: timeline.services owns who may (the coach of the entry's participation; the
district's own entries are corrected by the district, though the participant may object to
them), the transaction and the audit entries. A user without access to the person gets the
same 404 as for a person that does not exist; without the right, a 403; nothing is saved.

The timeline itself is read on the person page (people.views.detail).
"""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from jobbtorg.accounts.http import AuthenticatedHttpRequest
from jobbtorg.audit.services import Actor
from jobbtorg.core.capabilities import requires
from jobbtorg.core.errors import AccessDenied, DomainError
from jobbtorg.core.forms import Form
from jobbtorg.people.models import Person
from jobbtorg.people.views import not_found
from jobbtorg.timeline import services
from jobbtorg.timeline.forms import CorrectionForm, NoteForm, ObjectionForm

WHAT = {"correction": services.CORRECTION, "objection": services.OBJECTION}


def _annotate(request: AuthenticatedHttpRequest, person_id: int, entry_id: int, what: str) -> HttpResponse:
    """Parse, call timeline.services, render: the service checks, saves and audits."""
    user, actor = request.user, Actor.from_request(request)
    form_class = CorrectionForm if what == "correction" else ObjectionForm
    form: Form = form_class(request.POST or None)
    try:
        if request.method == "POST" and form.is_valid():
            text = form.cleaned_data["text"]
            try:
                if what == "correction":
                    new = services.correct(user, actor, person_id, entry_id, text)
                    anchor = f"entry-{new.pk}"
                else:
                    services.add_objection(user, actor, person_id, entry_id, text)
                    anchor = f"entry-{entry_id}"
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(
                    request, _("Rättelsen är sparad.") if what == "correction" else _("Deltagarens invändning är sparad.")
                )
                return redirect(reverse("people:detail", args=[person_id]) + f"#{anchor}")
        # Showing the entry with its form (or the form again with errors) is a read of the person.
        found = services.show(user, actor, person_id, entry_id, WHAT[what])
    except AccessDenied:
        return render(request, "people/not_found.html", status=404)
    except PermissionDenied:
        person = Person.objects.filter(pk=person_id).first()
        return render(request, "timeline/refused.html", {"person": person, "what": what}, status=403)
    context = {"person": found.person, "entry": found.entry, "form": form, "what": what}
    return render(request, "timeline/annotate.html", context, status=400 if form.is_bound else 200)



@login_required
@requires("timeline.read", on_refusal=not_found)
@never_cache
@require_http_methods(["GET", "POST"])
def correct(request: AuthenticatedHttpRequest, person_id: int, entry_id: int) -> HttpResponse:
    return _annotate(request, person_id, entry_id, "correction")


@login_required
@requires("timeline.read", on_refusal=not_found)
@never_cache
@require_http_methods(["GET", "POST"])
def object_to(request: AuthenticatedHttpRequest, person_id: int, entry_id: int) -> HttpResponse:
    return _annotate(request, person_id, entry_id, "objection")


@login_required
@requires("timeline.write_note", on_refusal=not_found)
@never_cache
@require_http_methods(["GET", "POST"])
def add_note(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    """A case note on the person's latest participation the user does casework on; the form
    again with its errors (the text kept) when something is missing."""
    user, actor = request.user, Actor.from_request(request)
    form = NoteForm(request.POST or None, prefix="note")
    try:
        participation = services.note_target(user, actor, person_id)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                entry = services.add_note(
                    user, actor, participation.pk, note_type=d["note_type"], occurred_on=d["occurred_on"], text=d["text"]
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, _("Anteckningen är sparad."))
                return redirect(reverse("people:detail", args=[person_id]) + f"#entry-{entry.pk}")
    except AccessDenied:
        return render(request, "people/not_found.html", status=404)
    except PermissionDenied:
        person = Person.objects.filter(pk=person_id).first()
        return render(request, "timeline/refused.html", {"person": person, "what": "note"}, status=403)
    context = {"person": participation.person, "participation": participation, "form": form}
    return render(request, "timeline/note.html", context, status=400 if form.is_bound else 200)
