"""Forms for adding to the timeline: a case note, a correction, and the participant's objection."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbtorg.core.forms import Form
from jobbtorg.participations.forms import DateInput
from jobbtorg.timeline.models import NoteType
from jobbtorg.timeline.rules import MAX_NOTE

MAX_TEXT = 4000


class CorrectionForm(Form):
    text = forms.CharField(
        label=_("Rättelse"),
        help_text=_("Skriv vad som är fel i händelsen och vad som gäller. Den gamla händelsen finns kvar."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
        error_messages={"required": _("Skriv vad rättelsen gäller.")},
    )


class ObjectionForm(Form):
    text = forms.CharField(
        label=_("Deltagarens invändning"),
        help_text=_("Skriv med deltagarens egna ord vad hen menar är fel."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
        error_messages={"required": _("Skriv deltagarens invändning.")},
    )


class NoteForm(Form):
    """A case note (journalanteckning): what kind of contact, the day it happened, and the text."""

    note_type = forms.ChoiceField(
        label=_("Typ av anteckning"),
        choices=NoteType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj vilken sorts anteckning det är."),
            "invalid_choice": _("Välj vilken sorts anteckning det är."),
        },
    )
    occurred_on = forms.DateField(
        label=_("Datum då det hände"),
        help_text=_("Inte i framtiden, inte före anvisningen."),
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        initial=timezone.localdate,
        error_messages={"required": _("Ange ett datum."), "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
    )
    text = forms.CharField(
        label=_("Anteckning"),
        help_text=_("En anteckning ändras aldrig: en rättelse blir en ny anteckning."),  # the limit is added by core.forms
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_NOTE,
        error_messages={"required": _("Skriv anteckningen.")},
    )
