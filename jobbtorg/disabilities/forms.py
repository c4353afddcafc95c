"""Forms of the disability pages; the OSA pages reuse the base helpers. They parse; rules are the services'.

Errors are linked to their field (aria-invalid, aria-describedby), UX.md / WCAG 3.3.1.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jobbtorg.core.forms import Form
from jobbtorg.disabilities import rules


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def date_field(label: Any, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        error_messages={"required": _("Ange ett datum."), "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
        **kwargs,
    )


class DomainForm(Form):
    """Base of the disability and OSA forms (labels, DomainError mapping: core.forms)."""


class VersionedForm(DomainForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)


class RegistrationForm(DomainForm):
    # A plain text field, not a choice: a code not in the list must reach the service's
    # Swedish refusal (and the page offers the list as options).
    code = forms.CharField(
        label=_("Kod"),
        max_length=2,
        help_text=_("Koden i Arbetsförmedlingens checklista, t.ex. 43."),
        error_messages={"required": _("Välj en kod.")},
        widget=forms.Select(choices=[("", _("Välj kod")), *rules.CODE_CHOICES]),
    )
    sub_kind = forms.ChoiceField(
        label=_("Undertyp"),
        required=False,
        choices=rules.SUB_KIND_CHOICES,
        help_text=_("Krävs för 43 (smärttillstånd eller kronisk), 92 (NPF eller förvärvad hjärnskada) och 11 (KOL eller annat)."),
        error_messages={"invalid_choice": _("Välj en undertyp i listan.")},
    )
    documented_on = date_field(_("Underlagets datum"))
    source = forms.ChoiceField(
        label=_("Underlag"), choices=[("", _("Välj underlag"))] + rules.SOURCE_CHOICES,
        error_messages={"required": _("Välj vilket slags underlag det är."), "invalid_choice": _("Välj ett underlag i listan.")},
    )  # fmt: skip
    source_note = forms.CharField(label=_("Om underlaget (valfritt)"), max_length=200, required=False)


class ChangeForm(VersionedForm):
    sub_kind = RegistrationForm.base_fields["sub_kind"]
    documented_on = date_field(_("Underlagets datum"))
    source = RegistrationForm.base_fields["source"]
    source_note = RegistrationForm.base_fields["source_note"]
