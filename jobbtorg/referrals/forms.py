"""Forms of the referral pages; the rules are referrals.services'."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jobbtorg.core.validators import validate_person_name
from jobbtorg.organisation.models import JobbtorgUnit
from jobbtorg.participations.forms import DateTimeInput, DomainForm, date_field
from jobbtorg.referrals import selectors
from jobbtorg.referrals.models import TargetGroup
from jobbtorg.referrals.services import ReferralInput


class ReferralForm(DomainForm):
    personnummer = forms.CharField(
        label=_("Personnummer eller samordningsnummer"),
        max_length=20,
        help_text=_("10 eller 12 siffror, med eller utan bindestreck."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Ange personnummer eller samordningsnummer.")},
    )
    first_name = forms.CharField(
        label=_("Förnamn"), max_length=100, required=False, help_text=_("Behövs bara för en person som inte finns i registret."),
        validators=[validate_person_name],
    )
    last_name = forms.CharField(label=_("Efternamn"), max_length=100, required=False, validators=[validate_person_name])
    target_groups: "forms.ModelMultipleChoiceField[TargetGroup]" = forms.ModelMultipleChoiceField(
        label=_("Målgrupper"),
        queryset=None,
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst en målgrupp.")},
    )
    other_need_assessed = forms.BooleanField(label=_("En individuell bedömning visar behovet"), required=False)
    other_af_no_measure = forms.BooleanField(
        label=_("Arbetsförmedlingen har inte kunnat erbjuda en lämplig insats"), required=False
    )
    other_assistance_decision = forms.BooleanField(
        label=_("Det finns ett biståndsbeslut enligt socialtjänstlagen"), required=False
    )
    basis = forms.CharField(
        label=_("Grund för anvisningen"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Beskriv grunden för anvisningen.")},
    )
    consent_given_on = date_field(_("Samtycke lämnat den"), required=False)
    consent_scope = forms.CharField(
        label=_("Samtycket omfattar"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    legal_ground = forms.CharField(
        label=_("Rättslig grund (om samtycke saknas)"),
        max_length=500,
        required=False,
        help_text=_("Till exempel lagrum för uppgiftsutbyte utan samtycke."),
    )
    referred_on = date_field(_("Anvisningsdatum"), today_default=True)
    unit: "forms.ModelChoiceField[JobbtorgUnit]" = forms.ModelChoiceField(
        label=_("Annat jobbtorg"),
        queryset=None,
        required=False,
        empty_label=_("Nej – jobbtorget som betjänar stadsdelen"),
        help_text=_("Välj bara om personen ska till ett annat (specialiserat) jobbtorg."),
    )
    unit_reason = forms.CharField(
        label=_("Skäl till annat jobbtorg"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    appointment_at = forms.DateTimeField(
        label=_("Första besök: dag och tid"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": _("Ange dag och tid för besöket."), "invalid": _("Skriv tiden som ÅÅÅÅ-MM-DD TT:MM.")},
    )
    appointment_place = forms.CharField(
        label=_("Plats"), max_length=200, error_messages={"required": _("Ange var besöket äger rum.")}
    )
    appointment_coach = forms.TypedChoiceField(
        label=_("Coach"),
        coerce=int,
        choices=(),
        error_messages={"required": _("Välj en coach."), "invalid_choice": _("Välj en coach i listan.")},
    )

    def __init__(self, *args: Any, receiving_unit: JobbtorgUnit | None = None, **kwargs: Any) -> None:
        """`receiving_unit`: the Jobbtorg that will receive the person (the chosen one, else the one
        serving the district); the coach list then offers only its coaches (issue 10 item 2). Without
        it (no unit can be told yet) every unit's coaches are offered, grouped by unit."""
        super().__init__(*args, **kwargs)
        self.fields["target_groups"].queryset = selectors.target_groups()  # type: ignore[attr-defined]
        self.fields["unit"].queryset = JobbtorgUnit.objects.filter(valid_to__isnull=True)  # type: ignore[attr-defined]
        self.receiving_unit = receiving_unit
        coaches = selectors.appointment_coaches()
        if receiving_unit is not None:
            coaches = coaches.filter(jobbtorg_unit=receiving_unit)
            # Without JavaScript the list is not reloaded when the unit changes: a coach of another
            # unit is then refused in words the social worker understands.
            self.fields["appointment_coach"].error_messages["invalid_choice"] = _(
                "Välj en coach som arbetar på %(unit)s, det mottagande jobbtorget. Listan visar nu jobbtorgets coacher."
            ) % {"unit": receiving_unit.name}
        groups: dict[str, list[tuple[int, str]]] = {}
        for coach in coaches:
            assert coach.jobbtorg_unit is not None  # appointment_coaches() has only coaches with a unit
            groups.setdefault(coach.jobbtorg_unit.name, []).append((coach.pk, coach.get_full_name() or coach.get_username()))
        self.fields["appointment_coach"].choices = [("", _("Välj coach")), *groups.items()]  # type: ignore[attr-defined]

    def referral_input(self) -> ReferralInput:
        d = self.cleaned_data
        return ReferralInput(
            personnummer=d["personnummer"],
            first_name=d.get("first_name", ""),
            last_name=d.get("last_name", ""),
            target_groups=[g.code for g in d["target_groups"]],
            basis=d["basis"],
            consent_given_on=d.get("consent_given_on"),
            consent_scope=d.get("consent_scope", ""),
            legal_ground=d.get("legal_ground", ""),
            referred_on=d["referred_on"],
            other_need_assessed=d.get("other_need_assessed", False),
            other_af_no_measure=d.get("other_af_no_measure", False),
            other_assistance_decision=d.get("other_assistance_decision", False),
            unit_id=d["unit"].pk if d.get("unit") else None,
            unit_reason=d.get("unit_reason", ""),
            appointment_at=d["appointment_at"],
            appointment_place=d["appointment_place"],
            appointment_coach_id=d["appointment_coach"],
        )


class ImportForm(DomainForm):
    file = forms.FileField(
        label=_("CSV-fil"),
        help_text=_(
            "Semikolonseparerad, UTF-8. Rubrikrad: personnummer;förnamn;efternamn;målgrupper;grund;"
            "samtycke_datum;samtycke_omfattning;rättslig_grund;anvisningsdatum"
        ),
        error_messages={"required": _("Välj en fil."), "empty": _("Filen är tom.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class ResubmitForm(DomainForm):
    """Complete a returned referral; the name and target groups can be corrected before it is sent again."""

    first_name = forms.CharField(label=_("Förnamn"), max_length=100, validators=[validate_person_name],
                                 error_messages={"required": _("Ange förnamn.")})
    last_name = forms.CharField(label=_("Efternamn"), max_length=100, validators=[validate_person_name],
                                error_messages={"required": _("Ange efternamn.")})
    target_groups = ReferralForm.base_fields["target_groups"]
    basis = ReferralForm.base_fields["basis"]
    consent_given_on = date_field(_("Samtycke lämnat den"), required=False)
    consent_scope = forms.CharField(
        label=_("Samtycket omfattar"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    legal_ground = forms.CharField(label=_("Rättslig grund (om samtycke saknas)"), max_length=500, required=False)
    comment = forms.CharField(
        label=_("Kommentar till jobbtorget"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_groups"].queryset = selectors.target_groups()  # type: ignore[attr-defined]

    def resubmit_values(self) -> dict[str, Any]:
        values = dict(self.cleaned_data)
        values["target_groups"] = [group.code for group in values["target_groups"]]
        return values


class WithdrawForm(DomainForm):
    reason = forms.CharField(
        label=_("Varför återkallas anvisningen?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Högst 2000 tecken. Jobbtorget ser skälet i deltagarens tidslinje."),
        error_messages={"required": _("Skriv varför anvisningen återkallas.")},
    )
