"""Forms of the activity pages. They parse and label; the rules live in `rules` and
the services, whose Swedish field errors are put back on these fields."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from jobbtorg.activities.models import AbsenceReason, AttendanceStatus, CatalogueItem, FollowUpDecision
from jobbtorg.core.forms import Form
from jobbtorg.organisation.models import Provider

WEEKDAYS = [
    (0, _("måndag")),
    (1, _("tisdag")),
    (2, _("onsdag")),
    (3, _("torsdag")),
    (4, _("fredag")),
    (5, _("lördag")),
    (6, _("söndag")),
]

# Lazy: "%" on a lazy text would fix the label in Swedish when the module is imported.
_absent_label = lazy(lambda reason: str(_("Frånvarande – %(reason)s") % {"reason": reason}), str)

# One radio group per participant: status and absence reason in one choice, so a row is
# one keyboard stop (arrow keys move between the options).
CHOICES = [
    (AttendanceStatus.PRESENT.value, AttendanceStatus.PRESENT.label),
    *[(f"absent:{r.value}", _absent_label(r.label)) for r in AbsenceReason],
    (AttendanceStatus.NON_COOPERATION.value, AttendanceStatus.NON_COOPERATION.label),
]


def split_choice(value: str) -> tuple[str | None, str]:
    """'absent:sick' → ('absent', 'sick'); 'present' → ('present', ''); '' → (None, '')."""
    if not value:
        return None, ""
    status, _sep, reason = value.partition(":")
    return status, reason


def join_choice(status: str | None, reason: str) -> str:
    if not status:
        return ""
    return f"{status}:{reason}" if status == AttendanceStatus.ABSENT else status


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(attrs, format="%H:%M")


def add_service_errors(form: forms.Form, error: ValidationError, prefix_map: dict[str, str] | None = None) -> None:
    """Put a service's field errors on the form's fields (others on the form itself)."""
    prefix_map = prefix_map or {}
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            name = prefix_map.get(field, field)
            target = name if name in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class ActivityForm(Form):
    catalogue_item = forms.ModelChoiceField(
        label=_("Insats"), queryset=CatalogueItem.objects.filter(active=True), empty_label=_("Välj insats ur utbudet")
    )
    provider = forms.ModelChoiceField(
        label=_("Anordnare"),
        queryset=Provider.objects.filter(active=True),
        required=False,
        empty_label=_("Ingen anordnare (Jobbtorget)"),
        help_text=_("Personal hos anordnaren ser deltagaren bara medan insatsen pågår."),
    )
    start_date = forms.DateField(label=_("Startdatum"), widget=DateInput(), help_text=_("ÅÅÅÅ-MM-DD"))
    end_date = forms.DateField(label=_("Slutdatum"), widget=DateInput(), help_text=_("ÅÅÅÅ-MM-DD"))
    location = forms.CharField(label=_("Plats"), max_length=200, required=False)
    description = forms.CharField(label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if editing:
            # The offer itself is not changed: a different offer is a replacement (follow-up).
            del self.fields["catalogue_item"]


class FollowUpForm(Form):
    followed_up_on = forms.DateField(label=_("Datum för uppföljningen"), widget=DateInput(), help_text=_("ÅÅÅÅ-MM-DD"))
    result = forms.CharField(label=_("Resultat"), widget=forms.Textarea(attrs={"rows": 4}))
    decision = forms.ChoiceField(label=_("Vad händer nu?"), choices=FollowUpDecision.choices, widget=forms.RadioSelect)
    new_end_date = forms.DateField(
        label=_("Nytt slutdatum"), required=False, widget=DateInput(), help_text=_("Fyll i om insatsen fortsätter.")
    )
    successor_catalogue_item = forms.ModelChoiceField(
        label=_("Ny insats"),
        queryset=CatalogueItem.objects.filter(active=True),
        required=False,
        empty_label=_("Välj insats ur utbudet"),
        help_text=_("Fyll i om insatsen ersätts."),
    )
    successor_provider = forms.ModelChoiceField(
        label=_("Anordnare för den nya insatsen"),
        queryset=Provider.objects.filter(active=True),
        required=False,
        empty_label=_("Ingen anordnare (Jobbtorget)"),
    )
    successor_start_date = forms.DateField(label=_("Startdatum för den nya insatsen"), required=False, widget=DateInput())
    successor_end_date = forms.DateField(label=_("Slutdatum för den nya insatsen"), required=False, widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SessionPlanForm(Form):
    date = forms.DateField(label=_("Datum"), widget=DateInput(), help_text=_("Första dagen. ÅÅÅÅ-MM-DD"))
    last_date = forms.DateField(
        label=_("Upprepa till och med"),
        required=False,
        widget=DateInput(),
        help_text=_("Lämna tomt för ett enda tillfälle. Helgdagar hoppas över."),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Veckodagar"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        initial=[0, 1, 2, 3, 4],
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = forms.TimeField(label=_("Starttid"), required=False, widget=TimeInput())
    end_time = forms.TimeField(label=_("Sluttid"), required=False, widget=TimeInput())


class GroupSessionForm(SessionPlanForm):
    catalogue_item = forms.ModelChoiceField(
        label=_("Insats"), queryset=CatalogueItem.objects.filter(active=True), empty_label=_("Välj insats ur utbudet")
    )
    activities = forms.TypedMultipleChoiceField(label=_("Deltagare"), coerce=int, choices=[], widget=forms.CheckboxSelectMultiple)

    field_order = ["catalogue_item", "date", "last_date", "weekdays", "start_time", "end_time", "activities"]

    def __init__(self, *args: Any, candidates: list[tuple[int, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.TypedMultipleChoiceField, self.fields["activities"]).choices = candidates or []


class DayRegistrationForm(Form):
    date = forms.DateField(label=_("Datum"), widget=DateInput(), help_text=_("ÅÅÅÅ-MM-DD"))
    choice = forms.ChoiceField(label=_("Närvaro"), choices=CHOICES, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Kommentar"), max_length=500, required=False)


class AcknowledgeForm(Form):
    district_note = forms.CharField(
        label=_("Stadsdelens beslut/åtgärd"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Frivilligt. Antecknas som stadsdelens, signerat av dig. Jobbtorget fattar inga beslut om försörjningsstöd."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
