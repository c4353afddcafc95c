"""The form for registering and changing a person (rendered by the web UI).

It parses and gives field errors early; the rules themselves are enforced again
by people.services, the one write path, which the view calls with
`form.service_data()`. A DomainError from the service goes back onto the form
with `form.add_domain_error(exc)` so its messages sit by their fields.
"""

import copy
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobbtorg.core import personnummer
from jobbtorg.core.forms import Form, ModelForm
from jobbtorg.core.validators import validate_person_name
from jobbtorg.organisation.models import District
from jobbtorg.people.models import Person, ProtectionLevel
from jobbtorg.people.services import CONTACT_FIELDS, REASON_MAX_LENGTH, levels_above, levels_below


class PersonForm(ModelForm):
    # Wider than the stored 12 digits: people type 19850709-9805 or 850709 9805.
    personnummer = forms.CharField(
        label=gettext_lazy("Personnummer eller samordningsnummer"),
        max_length=20,
        help_text=gettext_lazy("10 eller 12 siffror, med eller utan bindestreck. Exempel: ÅÅÅÅMMDD-NNNN."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Person
        fields = [
            "personnummer",
            "first_name",
            "last_name",
            "home_district",
            "street_address",
            "postal_code",
            "city",
            "phone",
            "email",
            "protection_level",
        ]
        error_messages = {
            "first_name": {"required": gettext_lazy("Ange förnamn.")},
            "last_name": {"required": gettext_lazy("Ange efternamn.")},
            "home_district": {
                "required": gettext_lazy("Välj en hemstadsdel."),
                "invalid_choice": gettext_lazy("Välj en av dagens stadsdelar."),
            },
        }

    def __init__(self, *args: Any, contact_details: bool = True, **kwargs: Any) -> None:
        """`contact_details=False` leaves out address and contact fields (protected identity, not named)."""
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        district_field = cast(forms.ModelChoiceField, self.fields["home_district"])
        district_field.queryset = District.objects.filter(
            Q(valid_from__lte=today), Q(valid_to__isnull=True) | Q(valid_to__gte=today)
        )
        district_field.empty_label = _("Välj stadsdel")
        self.fields["personnummer"].error_messages["required"] = _("Ange personnummer eller samordningsnummer.")
        # Declared above, so Meta.error_messages does not reach it: the duplicate message goes here.
        self.fields["personnummer"].error_messages["unique"] = _("Det finns redan en person med det personnumret")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["personnummer"].initial = personnummer.display(self.instance.personnummer)
            # Only raising is an editor's; lowering is ProtectionLowerForm's (people.services).
            _limit_levels(self.fields["protection_level"], levels_above(self.instance.protection_level, including=True))
        if not contact_details:
            for name in CONTACT_FIELDS:
                del self.fields[name]
        for name in ("first_name", "last_name"):  # no invisible-only or direction-reversing names (issue 8 item 10)
            self.fields[name].validators.append(validate_person_name)

    def clean_personnummer(self) -> str:
        return personnummer.normalise(self.cleaned_data["personnummer"])

    def clean_postal_code(self) -> str:
        code = "".join(self.cleaned_data.get("postal_code", "").split())
        if code and not (len(code) == 5 and code.isdigit() and code.isascii()):
            raise ValidationError(_("Ange postnumret med fem siffror, till exempel 163 55."), code="invalid")
        return code

    def _post_clean(self) -> None:
        # ModelForm writes the input onto its instance while validating (unique
        # check included). Validate on a copy so the person handed to
        # update_person still holds the stored values it compares against.
        original = self.instance
        self.instance = copy.copy(original)
        try:
            super()._post_clean()  # type: ignore[misc]  # BaseModelForm's, not in the stubs
        finally:
            self.instance = original

    def service_data(self) -> dict[str, Any]:
        """The cleaned fields for create_person / update_person (no version)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    def add_domain_error(self, error: ValidationError) -> None:
        """Put a service's field errors on their fields (unknown fields become form errors)."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)


def _limit_levels(field: forms.Field, values: list[str]) -> None:
    cast(forms.ChoiceField, field).choices = [(v, label) for v, label in ProtectionLevel.choices if v in values]


class ProtectionRaiseForm(Form):
    """An editor raises a person's protection level (only levels above the current are offered)."""

    protection_level = forms.ChoiceField(
        label=gettext_lazy("Ny skyddsnivå"),
        help_text=gettext_lazy("Enligt uppgifterna från Skatteverket (folkbokföringen)."),
        error_messages={
            "required": gettext_lazy("Välj en skyddsnivå."),
            "invalid_choice": gettext_lazy("Du kan bara höja skyddsnivån. Välj en högre nivå i listan."),
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit_levels(self.fields["protection_level"], levels_above(current))


class ProtectionLowerForm(Form):
    """The unit manager or data-protection officer lowers or removes a protection level, with a reason."""

    protection_level = forms.ChoiceField(
        label=gettext_lazy("Ny skyddsnivå"),
        error_messages={
            "required": gettext_lazy("Välj en skyddsnivå."),
            "invalid_choice": gettext_lazy("Välj en lägre skyddsnivå än den nuvarande."),
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("Skäl"),
        help_text=gettext_lazy(
            "Varför skyddet sänks, till exempel ändrade uppgifter från Skatteverket. Skälet visas vid loggranskningen."
        ),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Ange skälet till att skyddet sänks.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit_levels(self.fields["protection_level"], levels_below(current))
