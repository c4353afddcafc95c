"""Forms for adding to the timeline: a correction, and the participant's objection."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jobbtorg.core.forms import Form

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
