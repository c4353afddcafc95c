"""Forms of the participation pages. They parse; the rules are participations.services'.

Each form carries the `version` the page was rendered with, so a second user's
save is refused with a conflict instead of silently overwriting (save_versioned).
A DomainError from a service goes back onto the form with `add_domain_error`,
so every message sits by its field (UX.md: errors linked to their field).
"""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbtorg.accounts.models import User
from jobbtorg.core.forms import Form
from jobbtorg.participations.models import (
    ClosureReason,
    EmploymentExtent,
    EmploymentForm,
    InterruptionReason,
    StudyLevel,
    TransferTo,
    WageSubsidy,
)

YES_NO = [("yes", _("Ja")), ("no", _("Nej"))]


def yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


# A stored yes/no as the form's initial value; not answered (None) has none.
YES_NO_INITIAL: dict[bool | None, str] = {True: "yes", False: "no"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


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
    """Base of the participation forms (labels, DomainError mapping: core.forms)."""


class VersionedForm(DomainForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class AssignCoachForm(VersionedForm):
    coach: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label=_("Coach"),
        queryset=None,
        empty_label=_("Välj coach"),
        error_messages={"required": _("Välj en coach."), "invalid_choice": _("Välj en coach på jobbtorget.")},
    )

    def __init__(self, *args: Any, coaches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches  # type: ignore[attr-defined]
        self.fields["coach"].label_from_instance = lambda u: u.get_full_name() or u.get_username()  # type: ignore[attr-defined]


class TakeForm(VersionedForm):
    """A coach takes the participant (participations.services.take): only the version read."""


class AppointmentForm(DomainForm):
    appointment_at = forms.DateTimeField(
        label=_("Dag och tid"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": _("Ange dag och tid för besöket."), "invalid": _("Skriv tiden som ÅÅÅÅ-MM-DD TT:MM.")},
    )
    appointment_place = forms.CharField(label=_("Plats"), max_length=200, error_messages={"required": _("Ange plats.")})
    appointment_coach: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label=_("Coach"),
        queryset=None,
        empty_label=_("Välj coach"),
        error_messages={"required": _("Välj en coach."), "invalid_choice": _("Välj en coach på jobbtorget.")},
    )

    def __init__(self, *args: Any, coaches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["appointment_coach"].queryset = coaches  # type: ignore[attr-defined]
        self.fields["appointment_coach"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: u.get_full_name() or u.get_username()
        )


class VisitRescheduleForm(AppointmentForm):
    """A booked visit to a new time, place or coach (participations.services.reschedule)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class VisitCancelForm(VersionedForm):
    reason = forms.CharField(
        label=_("Varför ställs besöket in?"),
        max_length=500,
        help_text=_("Högst 500 tecken. Besöket finns kvar, överstruket, med orsaken."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv varför besöket ställs in.")},
    )


class VisitStepForm(VersionedForm):
    """Held or no-show: only the version the page showed."""


class ArrivalForm(VersionedForm):
    arrived_on = date_field(_("Ankomstdatum"), today_default=True)


class AFRegistrationForm(VersionedForm):
    af_registered = forms.ChoiceField(
        label=_("Inskriven på Arbetsförmedlingen"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Ange om personen är inskriven på Arbetsförmedlingen.")},
    )
    af_registered_on = date_field(_("Inskriven sedan"), required=False)


class InformationForm(VersionedForm):
    informed_rights = forms.BooleanField(
        label=_("Deltagaren har fått information om hur det fungerar och sina rättigheter"), required=False
    )
    informed_duty = forms.BooleanField(label=_("Deltagaren har fått information om skyldigheten att delta"), required=False)
    informed_consequences = forms.BooleanField(
        label=_("Deltagaren har fått information om konsekvenserna av att inte delta"), required=False
    )
    signed_on = date_field(_("Datum"), today_default=True)


class JobGuaranteeForm(VersionedForm):
    offered_on = date_field(_("Erbjudet den"), today_default=True)
    text = forms.CharField(
        label=_("Vad erbjöds?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": _("Beskriv vilket arbete eller vilken utbildning som erbjöds.")},
    )


class InterruptForm(VersionedForm):
    start_date = date_field(_("Avbrott från och med"), today_default=True)
    reason = forms.ChoiceField(
        label=_("Orsak"),
        choices=InterruptionReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj en orsak till avbrottet.")},
    )
    reason_text = forms.CharField(
        label=_("Beskrivning"),
        required=False,
        max_length=1000,
        help_text=_("Krävs när orsaken är Annat."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RestartForm(VersionedForm):
    end_date = date_field(_("Nystart den"), today_default=True)


class CloseForm(VersionedForm):
    closed_on = date_field(_("Avslutsdatum"), today_default=True)
    reason = forms.ChoiceField(
        label=_("Avslutsorsak"),
        choices=[(value, label) for value, label in ClosureReason.choices if value != ClosureReason.WITHDRAWN],
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj en avslutsorsak. Ett deltagande kan inte avslutas utan orsak.")},
    )
    employment_form = forms.ChoiceField(
        label=_("Anställningsform"), choices=EmploymentForm.choices, widget=forms.RadioSelect, required=False
    )
    employment_extent = forms.ChoiceField(
        label=_("Omfattning"), choices=EmploymentExtent.choices, widget=forms.RadioSelect, required=False
    )
    wage_subsidy = forms.ChoiceField(
        label=_("Anställningsstöd"), choices=WageSubsidy.choices, widget=forms.RadioSelect, required=False
    )
    employment_lasts_a_month = forms.ChoiceField(
        label=_("Varar anställningen minst en sammanhängande månad?"), choices=YES_NO, widget=forms.RadioSelect, required=False
    )
    study_level = forms.ChoiceField(label=_("Utbildning"), choices=StudyLevel.choices, widget=forms.RadioSelect, required=False)
    transfer_to = forms.ChoiceField(
        label=_("Övergång till"), choices=TransferTo.choices, widget=forms.RadioSelect, required=False
    )
    text = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=2000,
        help_text=_("Krävs när orsaken är Annat."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    # Which follow-up questions belong to which reason; the template shows the matching group.
    GROUPS = {
        ClosureReason.WORK: ("employment_form", "employment_extent", "wage_subsidy", "employment_lasts_a_month"),
        ClosureReason.STUDIES: ("study_level",),
        ClosureReason.TRANSFER: ("transfer_to",),
    }


class FollowUpForm(VersionedForm):
    assistance_reduction_kr = forms.IntegerField(
        label=_("Minskat försörjningsstöd (kr per månad)"),
        required=False,
        min_value=0,
        max_value=1_000_000,
        help_text=_("Uppgift från stadsdelen. Lämna tomt om den inte finns än."),
        error_messages={"invalid": _("Ange ett belopp i hela kronor."), "min_value": _("Ange 0 eller mer.")},
    )
    outcome_sustained = forms.ChoiceField(
        label=_("Består resultatet?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Ange om resultatet består.")},
    )
    note = forms.CharField(label=_("Kommentar"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnReferralForm(DomainForm):
    """The Jobbtorg sends a referral back to the district for completion (referrals.services)."""

    reason = forms.CharField(
        label=_("Vad behöver stadsdelen komplettera?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv vad stadsdelen behöver komplettera.")},
    )
