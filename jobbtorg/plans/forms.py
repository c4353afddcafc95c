"""Forms of the plan pages: parsing only. The rules live in plans.rules and are applied by plans.services."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jobbtorg.activities.models import CatalogueItem
from jobbtorg.core.forms import Form
from jobbtorg.core.types import StrOrPromise

DATE_HELP = _("ÅÅÅÅ-MM-DD")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: StrOrPromise, required: bool = True, help_text: StrOrPromise = DATE_HELP) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=DateInput(), input_formats=["%Y-%m-%d"], help_text=help_text,
        error_messages={"invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD."), "required": _("Ange ett datum.")},
    )


class VersionedForm(Form):
    """Every form that changes a plan sends back the row version it was read at (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def apply_domain_errors(self, error: ValidationError) -> None:
        """Put a service's Swedish errors on the matching fields (others on the form)."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                target = field if field in self.fields else None
                for message in messages:
                    self.add_error(target, message)
        else:
            for message in error.messages:
                self.add_error(None, message)


class PlanForm(VersionedForm):
    goal = forms.CharField(
        label=_("Mål"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vad deltagaren ska nå under planperioden, med deltagarens egna ord när det går."),
    )
    start_date = date_field(_("Startdatum"))
    review_date = date_field(
        _("Omprövningsdatum"), help_text=_("ÅÅÅÅ-MM-DD. Normalt högst sex månader efter startdatum.")
    )
    long_plan_reason = forms.CharField(
        label=_("Skäl till längre plan än sex månader"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Fyll bara i om omprövningsdatumet ligger mer än sex månader efter startdatum."),
    )

    def plan_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("goal", "start_date", "review_date", "long_plan_reason")}


class PlannedActivityForm(VersionedForm):
    catalogue_item = forms.ModelChoiceField(
        label=_("Insats ur utbudet"), required=False, queryset=CatalogueItem.objects.none(),
        empty_label=_("Ingen – beskriv aktiviteten själv"),
    )
    description = forms.CharField(
        label=_("Vad"), required=False, max_length=200,
        help_text=_("Till exempel ”Praktik som lagerarbetare hos Företaget AB”. Tomt: insatsens namn."),
    )
    start_date = date_field(_("Startdatum"))
    end_date = date_field(_("Slutdatum"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["catalogue_item"]
        field.queryset = CatalogueItem.objects.filter(active=True).order_by("category", "name")  # type: ignore[attr-defined]

    def activity_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in ("catalogue_item", "description", "start_date", "end_date")}


class DecisionForm(VersionedForm):
    APPROVE = "approve"
    RETURN = "return"
    REJECT = "reject"

    comment = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Måste fyllas i om du skickar tillbaka eller avslår planen: skriv vad coachen ska ändra, "
                    "eller varför planen inte kan godkännas."),
    )
    decision = forms.ChoiceField(
        choices=[(APPROVE, _("Godkänn")), (RETURN, _("Skicka tillbaka")), (REJECT, _("Avslå"))], widget=forms.HiddenInput,
        error_messages={"required": _("Välj om du godkänner planen, skickar tillbaka den eller avslår den.")},
    )
