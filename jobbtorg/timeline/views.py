"""Adding to a person's timeline from the person page: a correction (a new entry pointing at
the old one) and the participant's objection (LEGAL.md, SoL 14 kap. 3 och 6 §§).

Only the coach of the entry's participation may do either; the district's own entries
(its decisions) are corrected by the district, not here, but the participant may object to them. Access to the person comes from
`access.policy.check_person`; every attempt is audited (CHANGE on the person when saved,
refused when not allowed). A user without access to the person gets the same 404 as for a
person that does not exist, and nothing is saved.

The timeline itself is read on the person page (people.views.detail).
"""


from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from jobbtorg.access.policy import check_person
from jobbtorg.accounts.http import AuthenticatedHttpRequest
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core.capabilities import requires
from jobbtorg.core.errors import DomainError
from jobbtorg.people.models import Person
from jobbtorg.people.views import not_found
from jobbtorg.timeline import selectors, services
from jobbtorg.timeline.forms import CorrectionForm, ObjectionForm
from jobbtorg.timeline.models import TimelineEntry

WHAT = {
    "correction": "tidslinje · rättelse",
    "objection": "tidslinje · deltagarens invändning",
}


def _annotate(request: AuthenticatedHttpRequest, person_id: int, entry_id: int, what: str) -> HttpResponse:
    user = request.user
    actor = Actor.from_request(request)
    audit_what = WHAT[what]
    action = Action.CHANGE if request.method == "POST" else Action.READ
    person = Person.objects.select_related("home_district").filter(pk=person_id).first()
    entry = (
        TimelineEntry.objects.select_related("participation__unit", "corrects").filter(pk=entry_id, person_id=person_id).first()
        if person is not None
        else None
    )
    if person is None or entry is None:
        record(actor, action, audit_what, person.pk if person else None, allowed=False)
        return render(request, "people/not_found.html", status=404)
    decision = check_person(user, person)
    if not decision.allowed or not selectors.may_read(user):
        record(actor, action, audit_what, person.pk, allowed=False, protected=person.is_protected)
        return render(request, "people/not_found.html", status=404)
    allowed_here = selectors.may_correct if what == "correction" else selectors.may_annotate
    if not allowed_here(user, entry, selectors.coach_participation_ids(user, person)):
        record(actor, action, audit_what, person.pk, allowed=False, protected=person.is_protected)
        return render(request, "timeline/refused.html", {"person": person, "what": what}, status=403)

    form_class = CorrectionForm if what == "correction" else ObjectionForm
    form: forms.Form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            with transaction.atomic():
                if what == "correction":
                    new = services.correct(entry, text, user)
                    anchor = f"entry-{new.pk}"
                else:
                    services.add_objection(entry, text, user)
                    anchor = f"entry-{entry.pk}"
                record(actor, Action.CHANGE, audit_what, person.pk, protected=person.is_protected)
        except DomainError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request, _("Rättelsen är sparad.") if what == "correction" else _("Deltagarens invändning är sparad.")
            )
            return redirect(reverse("people:detail", args=[person.pk]) + f"#{anchor}")
    # Showing the entry with its form (or the form again with errors) is a read of the person.
    record(actor, Action.READ, audit_what, person.pk, protected=person.is_protected)
    context = {"person": person, "entry": entry, "form": form, "what": what}
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
