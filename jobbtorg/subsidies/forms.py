"""Forms of the subsidy pages. They parse; the rules are subsidies.services' (and .rules').

Each action form carries the case's `version`, so a second user's save is refused with a
conflict instead of silently overwriting. A DomainError from a service goes back onto the
form with `add_domain_error`, so every message sits by its field (UX.md).
"""

import datetime
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from jobbtorg.core.forms import Form
from jobbtorg.eligibility.forms import DomainForm, VersionedForm, date_field
from jobbtorg.organisation.models import Employer, EmployerContact
from jobbtorg.subsidies import steps as step_rules
from jobbtorg.subsidies.models import CaseStatus, SubsidyType


def _contact_label(contact: EmployerContact) -> str:
    return f"{contact.name} – {contact.employer.name}"


class SupervisorFields(Form):
    supervisor_contact = forms.ModelChoiceField(
        label=_("Handledare bland arbetsgivarens kontaktpersoner"),
        queryset=EmployerContact.objects.none(),
        required=False,
        empty_label=_("Ingen vald – skriv uppgifterna nedan"),
        help_text=_("Välj en kontaktperson, eller skriv handledarens namn och kontaktuppgifter."),
        error_messages={"invalid_choice": _("Välj en kontaktperson i listan.")},
    )
    supervisor_name = forms.CharField(label=_("Handledarens namn"), max_length=150, required=False)
    supervisor_phone = forms.CharField(label=_("Handledarens telefon"), max_length=30, required=False)
    supervisor_email = forms.EmailField(
        label=_("Handledarens e-post"), required=False, error_messages={"invalid": _("Skriv en giltig e-postadress.")}
    )

    def _init_contacts(self) -> None:
        field = cast(forms.ModelChoiceField, self.fields["supervisor_contact"])
        field.queryset = (
            EmployerContact.objects.filter(is_supervisor=True).select_related("employer").order_by("employer__name", "name")
        )
        # Django's per-field label hook: an instance attribute over the method, which the stubs cannot express.
        field.label_from_instance = _contact_label  # type: ignore[method-assign, assignment]


class CaseForm(DomainForm, SupervisorFields):
    subsidy_type = forms.ChoiceField(
        label=_("Stödform"),
        choices=SubsidyType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj en stödform."), "invalid_choice": _("Välj en stödform.")},
    )
    employer = forms.ModelChoiceField(
        label=_("Arbetsgivare"),
        queryset=Employer.objects.order_by("name"),
        empty_label=_("Välj arbetsgivare"),
        error_messages={"required": _("Välj en arbetsgivare."), "invalid_choice": _("Välj en arbetsgivare i listan.")},
    )
    notified_on = date_field(_("Intresseanmälan gjord"), today_default=True)
    preceded_by_practice = forms.BooleanField(
        label=_("Anställningen föregås av praktik"),
        required=False,
        help_text=_("Skriv då ”Stockholmsjobb/praktik” eller ”Anställning och Praktik” i fritexten."),
    )
    notification_text = forms.CharField(
        label=_("Fritext i intresseanmälan"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    planned_start = date_field(_("Planerad anställningsstart"), required=False)

    field_order = ["subsidy_type", "employer", "notified_on", "preceded_by_practice", "notification_text", "planned_start"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_contacts()


class EditCaseForm(VersionedForm, SupervisorFields):
    preceded_by_practice = CaseForm.base_fields["preceded_by_practice"]
    notification_text = CaseForm.base_fields["notification_text"]
    planned_start = date_field(_("Planerad anställningsstart"), required=False)

    field_order = ["preceded_by_practice", "notification_text", "planned_start"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_contacts()


class DecisionForm(VersionedForm):
    decision_on = date_field(_("Beslutsdatum"))
    period_from = date_field(_("Beslutet gäller från"))
    period_to = date_field(_("Beslutet gäller till"))
    # Asked only while the nystartsjobb eligibility check cannot tell (the page drops it otherwise).
    missing_facts = forms.CharField(
        label=_("Uppgifter som saknas i kvalificeringen"),
        help_text=_(
            "Skriv vad Arbetsförmedlingens beslut bygger på för varje uppgift som saknas, eller registrera uppgifterna "
            "under Kvalificering."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


CLOSE_TARGETS = [
    (CaseStatus.REFUSED, _("Arbetsförmedlingen beviljade inte stödet")),
    (CaseStatus.WITHDRAWN, _("Ansökan återkallades")),
]


class CloseForm(VersionedForm):
    target = forms.ChoiceField(
        label=_("Vad hände?"),
        choices=CLOSE_TARGETS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj vad som hände.")},
    )
    on = date_field(_("Datum"), today_default=True)
    reason = forms.CharField(
        label=_("Orsak"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": _("Ange orsak.")}
    )

    def __init__(self, *args: Any, targets: Iterable[str] | None = None, **kwargs: Any) -> None:
        """`targets`: the statuses the transition table allows this user now; the page offers only those."""
        super().__init__(*args, **kwargs)
        if targets is not None:
            field = cast(forms.ChoiceField, self.fields["target"])
            field.choices = [(value, label) for value, label in CLOSE_TARGETS if value in set(targets)]


class TerminateForm(VersionedForm):
    terminated_on = date_field(_("Avbrutet från"), today_default=True)
    reason = forms.CharField(
        label=_("Orsak till avbrottet"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Ange orsak till avbrottet.")},
    )


class EndForm(VersionedForm):
    ended_on = date_field(_("Avslutat"), today_default=True)


class StepForm(VersionedForm):
    """Complete one step. Which extra fields apply depends on the step (the template shows them)."""

    done_on = date_field(_("Datum"), today_default=True)
    outcome = forms.ChoiceField(label=_("Utfall"), required=False, widget=forms.RadioSelect, choices=[])
    notified = forms.MultipleChoiceField(
        label=_("Meddelade av Arbetsförmedlingen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(k, v) for k, v in step_rules.NOTIFIED_PARTIES.items()],
    )
    meeting_on = date_field(_("Möte med arbetsgivaren"), required=False)
    completion_due = date_field(
        _("Komplettering senast"), required=False, help_text=_("Enligt Arbetsförmedlingens begäran. Lämnas tomt: om 14 dagar.")
    )
    period_from = date_field(_("Beslutet gäller från"), required=False)
    period_to = date_field(_("Beslutet gäller till"), required=False)
    note = forms.CharField(label=_("Anteckning"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"step-{kind}")
        super().__init__(*args, **kwargs)
        self.kind = kind
        outcomes = step_rules.STEP_OUTCOMES.get(kind, {})
        self.fields["outcome"].choices = [(k, v) for k, v in outcomes.items()]  # type: ignore[attr-defined]
        self.fields["outcome"].required = bool(outcomes)
        self.fields["outcome"].error_messages["required"] = _("Välj utfall.")
        keep = {"version", "done_on", "note"}
        if kind == step_rules.StepKind.LB_3_ELIGIBILITY:
            keep |= {"outcome", "notified", "meeting_on", "completion_due"}
        if kind == step_rules.StepKind.LB_6_DECISION:
            keep |= {"outcome", "period_from", "period_to"}
            self.fields["done_on"].label = _("Beslutsdatum")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    def service_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        data: dict[str, Any] = {}
        for name in ("notified", "meeting_on", "completion_due", "period_from", "period_to"):
            if d.get(name):
                data[name] = d[name].isoformat() if isinstance(d[name], datetime.date) else d[name]
        return data
