"""Forms of the substitution and emergency-access pages. They parse; the rules are in
access.rules and access.services (a DomainError goes back onto the form by field)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jobbtorg.access.rules import MAX_REASON_LENGTH
from jobbtorg.core.forms import Form


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _date_field(label: Any, help_text: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        help_text=help_text,
        error_messages={"required": _("Ange ett datum."), "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
    )


class SubstitutionForm(Form):
    """Who stands in for whom, and when. The absent coach is chosen only by a unit manager."""

    absent_coach = forms.TypedChoiceField(
        label=_("Frånvarande coach"), coerce=int, error_messages={"required": _("Välj den coach som är frånvarande.")}
    )
    substitute = forms.TypedChoiceField(
        label=_("Vikarie"),
        coerce=int,
        help_text=_("En annan coach vid samma jobbtorg. Vikarien ser den frånvarandes deltagare under perioden."),
        error_messages={"required": _("Välj vikarie.")},
    )
    valid_from = _date_field(_("Från och med"), _("ÅÅÅÅ-MM-DD. I dag eller senare."))
    valid_to = _date_field(_("Till och med"), _("ÅÅÅÅ-MM-DD. Högst sex månader efter startdatum."))

    def __init__(self, *args: Any, coaches: list[tuple[int, str]], choose_absent: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        empty = [("", _("Välj coach"))]
        self.fields["substitute"].choices = empty + coaches  # type: ignore[attr-defined]
        if choose_absent:
            self.fields["absent_coach"].choices = empty + coaches  # type: ignore[attr-defined]
        else:
            del self.fields["absent_coach"]
        for name in ("absent_coach", "substitute"):
            if name in self.fields:
                self.fields[name].error_messages["invalid_choice"] = _("Välj en coach vid ditt jobbtorg.")


class EmergencySearchForm(Form):
    """The unit search of the emergency-access page: a full personnummer only (no name search),
    so nobody browses the unit's people through it."""

    personnummer = forms.CharField(
        label=_("Personnummer"),
        max_length=20,
        help_text=_("Hela personnumret, till exempel 19800101-1234."),
        error_messages={"required": _("Ange personnumret.")},
    )


class EmergencyAccessForm(Form):
    person = forms.IntegerField(widget=forms.HiddenInput(), min_value=1, max_value=2**63 - 1)
    reason = forms.CharField(
        label=_("Skäl till nödåtkomst"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_REASON_LENGTH,
        help_text=_(
            "Varför behöver du personens uppgifter nu? Skälet sparas i loggen och granskas av enhetschefen."
        ),
        error_messages={"required": _("Ange skälet till nödåtkomsten.")},
    )
