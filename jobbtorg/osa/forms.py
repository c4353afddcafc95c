"""Forms of the OSA pages. They parse; every rule is osa.services' (which answers in Swedish)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jobbtorg.core.forms import Form
from jobbtorg.disabilities.forms import DomainForm, VersionedForm, date_field
from jobbtorg.organisation.models import AFUnit, District, Employer
from jobbtorg.osa import rules
from jobbtorg.osa.models import AssessmentOutcome, ReviewOutcome

PARTY_CHOICES = [
    ("employee", _("Den anställde")),
    ("af", _("Arbetsförmedlingen")),
    ("district", _("Stadsdelen/Enheten för hemlösa")),
    ("jobbtorg", _("Jobbtorg Stockholm")),
    ("workplace", _("Arbetsplatsen")),
]


class CaseForm(DomainForm):
    grounds = forms.MultipleChoiceField(
        label=_("Grund för OSA (minst en)"),
        required=False,
        choices=[(g.value, label) for g, label in rules.GROUND_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    assessed_on = date_field(_("Datum för den gemensamma bedömningen"), required=False)
    assessed_by_district = forms.CharField(label=_("Bedömd av, stadsdelen"), max_length=150, required=False)
    assessed_by_af = forms.CharField(label=_("Bedömd av, Arbetsförmedlingen"), max_length=150, required=False)
    af_unit = forms.ModelChoiceField(
        label=_("Arbetsförmedlingens enhet"), queryset=AFUnit.objects.all(), required=False, empty_label=_("Välj enhet"),
        error_messages={"invalid_choice": _("Välj en enhet i listan.")},
    )  # fmt: skip
    assessment_outcome = forms.ChoiceField(
        label=_("Bedömningens utfall"), choices=[("", _("Välj utfall")), *AssessmentOutcome.choices], required=False
    )
    assessment_note = forms.CharField(label=_("Kommentar till bedömningen (valfri)"), widget=forms.Textarea(attrs={"rows": 3}),
                                      required=False)  # fmt: skip
    employer = forms.ModelChoiceField(
        label=_("Arbetsgivare"), queryset=Employer.objects.all(), required=False, empty_label=_("Välj arbetsgivare"),
        help_text=_("En av stadens förvaltningar – inte kommunala bolag eller upphandlad verksamhet."),
        error_messages={"invalid_choice": _("Välj en arbetsgivare i listan.")},
    )  # fmt: skip
    workplace = forms.CharField(label=_("Arbetsplats"), max_length=200, required=False)
    start_date = date_field(_("Anställningen börjar"), required=False)
    months = forms.IntegerField(label=_("Inledande periodens längd i månader"), initial=rules.FIRST_PERIOD_MONTHS,
                                required=False, min_value=1, max_value=12,
                                error_messages={"min_value": _("Ange 1–12 månader."), "max_value": _("Ange 1–12 månader."),
                                                "invalid": _("Ange ett helt antal månader.")})  # fmt: skip
    length_reason = forms.CharField(label=_("Skäl till annan längd än 6 månader"), max_length=300, required=False)


class ExtensionForm(VersionedForm):
    months = forms.TypedChoiceField(
        label=_("Förläng med"), coerce=int, choices=[("", _("Välj längd")), (6, _("6 månader")), (12, _("12 månader"))],
        error_messages={"required": _("Välj 6 eller 12 månader."),
                        "invalid_choice": _("En förlängning är antingen 6 eller 12 månader.")},
    )  # fmt: skip


class ReviewForm(DomainForm):
    """The review is decided by the officer who records it (shown on the page); date and outcome are asked."""

    reviewed_on = date_field(_("Beslutsdatum"), required=False)
    outcome = forms.ChoiceField(
        label=_("Beslut"), required=False, widget=forms.RadioSelect, choices=ReviewOutcome.choices,
    )  # fmt: skip
    reasoning = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class PlanItemForm(Form):
    activity = forms.ChoiceField(label=_("Insats"), required=False, choices=[("", _("Välj insats")), *rules.ACTIVITY_CHOICES])
    responsible = forms.ChoiceField(label=_("Ansvarig part"), required=False,
                                    choices=[("", _("Välj ansvarig")), *rules.RESPONSIBLE_CHOICES])  # fmt: skip
    responsible_name = forms.CharField(label=_("Ansvarig person (valfritt)"), max_length=150, required=False)
    planned_on = date_field(_("När"), required=False)
    note = forms.CharField(label=_("Kommentar (valfri)"), max_length=300, required=False)


PlanItemFormSet = forms.formset_factory(PlanItemForm, extra=2, max_num=30, validate_max=True)


class PlanForm(VersionedForm):
    note = forms.CharField(label=_("Vad ändrades (valfritt)"), max_length=300, required=False)


class MeetingForm(DomainForm):
    held_on = date_field(_("Mötets datum"), required=False)
    parties = forms.MultipleChoiceField(label=_("Deltagare"), choices=PARTY_CHOICES, required=False,
                                        widget=forms.CheckboxSelectMultiple)  # fmt: skip
    notes = forms.CharField(label=_("Anteckningar (valfria)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class TransitionForm(VersionedForm):
    planned = forms.BooleanField(label=_("Övergång till annat arbete planeras"), required=False)


class TransferForm(VersionedForm):
    to_district = forms.ModelChoiceField(label=_("Ny stadsdel"), queryset=District.objects.filter(valid_to__isnull=True),
                                         required=False, empty_label=_("Välj stadsdel"))  # fmt: skip
    handover_on = date_field(_("Den nya stadsdelen tar över från"), required=False)
    note = forms.CharField(label=_("Kommentar (valfri)"), max_length=300, required=False)


class EndForm(VersionedForm):
    ended_on = date_field(_("Sista anställningsdag"), required=False)
    reason = forms.ChoiceField(
        label=_("Varför avslutas anställningen"),
        required=False,
        choices=[("", _("Välj orsak")), *((r.value, label) for r, label in rules.END_REASON_LABELS.items())],
    )
    reason_text = forms.CharField(label=_("Kommentar (krävs vid Annat skäl)"), max_length=300, required=False)


class PlacesForm(VersionedForm):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    planned = forms.IntegerField(label=_("Planerade årsplatser"), min_value=0, max_value=10000)
    af_unit = forms.ModelChoiceField(label=_("Överenskommet med (valfritt)"), queryset=AFUnit.objects.all(), required=False,
                                     empty_label=_("Välj enhet"))  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].required = False
