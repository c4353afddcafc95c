"""Forms of the eligibility page, and the date-bounded base forms the subsidy pages share
(eligibility sits below subsidies, ADR 0015). They parse; the rules are the services'.
"""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbtorg.core.forms import Form
from jobbtorg.eligibility import rules as eligibility_rules
from jobbtorg.eligibility.models import MonthKind, SubsidyType

YES_NO_UNKNOWN = [("", _("Vet inte")), ("yes", _("Ja")), ("no", _("Nej"))]


def tri(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def tri_initial(value: bool | None) -> str:
    initial: dict[bool | None, str] = {True: "yes", False: "no"}
    return initial.get(value, "")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def date_field(label: Any, required: bool = True, today_default: bool = False, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        initial=timezone.localdate if today_default else None,
        error_messages={"required": _("Ange ett datum."), "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
        **kwargs,
    )


class DomainForm(Form):
    """Base of the subsidy forms: dates within 2000–2100 (labels, DomainError mapping: core.forms)."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data is None:  # Django's clean() returns cleaned_data; the stubs allow None (a subclass may)
            data = self.cleaned_data
        for name, value in data.items():
            if isinstance(value, datetime.date) and not eligibility_rules.DATE_MIN <= value <= eligibility_rules.DATE_MAX:
                self.add_error(name, _("Ange ett datum mellan år 2000 och 2100."))
        return data


class VersionedForm(DomainForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class FactsForm(VersionedForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1, required=False)
    registered_at_af = forms.ChoiceField(
        label=_("Inskriven som arbetssökande på Arbetsförmedlingen"), choices=YES_NO_UNKNOWN, required=False
    )
    establishment_programme = forms.ChoiceField(label=_("I etableringsprogrammet"), choices=YES_NO_UNKNOWN, required=False)
    job_guarantee = forms.ChoiceField(label=_("I jobb- och utvecklingsgarantin"), choices=YES_NO_UNKNOWN, required=False)
    newly_arrived = forms.ChoiceField(label=_("Nyanländ"), choices=YES_NO_UNKNOWN, required=False)
    residence_permit_on = date_field(_("Uppehållstillstånd beviljat"), required=False)
    youth_guarantee_days = forms.IntegerField(
        label=_("Ersättningsdagar i jobbgarantin för ungdomar"),
        required=False,
        min_value=0,
        max_value=5000,
        error_messages={
            "invalid": _("Ange ett heltal."),
            "min_value": _("Ange 0 eller fler."),
            "max_value": _("Ange högst 5000."),
        },
    )


class HistoryForm(DomainForm):
    """One select per month, newest first: the last 24 full months."""

    def __init__(self, *args: Any, months: list[datetime.date], initial_kinds: dict[datetime.date, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.months = months
        choices = [("", _("Okänd"))] + list(MonthKind.choices)
        for month in months:
            self.fields[f"m_{month:%Y_%m}"] = forms.ChoiceField(
                label=f"{month:%Y-%m}",
                choices=choices,
                required=False,
                initial=initial_kinds.get(month, ""),
                error_messages={"invalid_choice": _("Välj en situation i listan.")},
            )

    def month_values(self) -> dict[datetime.date, str | None]:
        return {m: (self.cleaned_data.get(f"m_{m:%Y_%m}") or None) for m in self.months}


class EvaluateForm(Form):
    stod = forms.ChoiceField(label=_("Stödform"), choices=SubsidyType.choices, required=False)
    datum = date_field(_("Bedöm per datum"), required=False)
