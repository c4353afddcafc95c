"""Forms for the assessment sections, built from the section table in assessments.rules.

Parsing only; the services apply the rules. Each section is its own form (saved on its own,
with htmx or a plain POST). The assessment's row version (optimistic locking) is not a form
field: every form on the page carries the same un-prefixed hidden input `version`
(class "assessment-version"), which an htmx save refreshes everywhere at once (`posted_version`).
The occupation fields show only the current choice and the matches of a search, never the
whole list of 3,253 occupations.
"""

from typing import Any, cast

from django import forms
from django.db import models
from django.forms.models import fields_for_model, model_to_dict
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jobbtorg.assessments.models import Assessment, HealthInformation, Occupation, WorkExperience
from jobbtorg.assessments.rules import SECTIONS_BY_KEY, Section
from jobbtorg.core.forms import Form
from jobbtorg.core.models import max_length_of

MAX_VERSION = 2**31 - 1
CHOOSE = _("Välj")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class OccupationField(forms.ModelChoiceField):
    """Validates against every occupation; renders only `offer(...)`-ed ones."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", _("Välj yrke"))
        super().__init__(queryset=Occupation.objects.all(), **kwargs)
        self.widget.choices = [("", self.empty_label)]

    def offer(self, occupations: list[Occupation], current: Occupation | None = None) -> None:
        shown = ([current] if current else []) + [o for o in occupations if not current or o.pk != current.pk]
        self.widget.choices = [("", self.empty_label)] + [(o.pk, o.name) for o in shown]


def _formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.DateField):
        return forms.DateField(label=capfirst(field.verbose_name), required=not field.blank, widget=DateInput(),
                               input_formats=["%Y-%m-%d"], help_text=_("ÅÅÅÅ-MM-DD"),
                               error_messages={"invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")})
    if isinstance(field, models.ForeignKey) and field.related_model is Occupation:
        return OccupationField(label=capfirst(field.verbose_name), required=not field.blank)
    formfield = field.formfield(**kwargs)
    if formfield is None:
        return None
    formfield.label = capfirst(field.verbose_name)  # lazy: the reader's language, not the importer's
    if isinstance(formfield, forms.TypedChoiceField) and field.blank:
        # A model field's choices arrive normalised: a list of (value, label) pairs.
        choices = cast(list[tuple[Any, Any]], formfield.choices)
        formfield.choices = [("", CHOOSE), *[c for c in choices if c[0] != ""]]
    if isinstance(formfield.widget, forms.Textarea):
        formfield.widget.attrs["rows"] = 3
    return formfield


def posted_version(data: Any) -> int | None:
    """The row version a form was read at, or None when it is missing or not a sane number."""
    raw = str(data.get("version", "")).strip()
    if not raw.isdigit() or len(raw) > 10:
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_VERSION else None


class SectionForm(Form):
    def apply_domain_errors(self, error: Any) -> None:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        else:
            for message in error.messages:
                self.add_error(None, message)


_FORM_CLASSES: dict[str, type[SectionForm]] = {}


def section_form_class(section: Section) -> type[SectionForm]:
    if section.key not in _FORM_CLASSES:
        model = HealthInformation if section.strict else Assessment
        fields = fields_for_model(model, fields=list(section.fields), formfield_callback=_formfield)
        _FORM_CLASSES[section.key] = type(f"{section.key.capitalize()}Form", (SectionForm,), dict(fields))
    return _FORM_CLASSES[section.key]


def section_form(
    key: str, instance: Any, data: Any = None, occupation_matches: list[Occupation] | None = None
) -> SectionForm:
    """The form of section `key`; bound to `data` when given, else filled from `instance` (may be None for health)."""
    section = SECTIONS_BY_KEY[key]
    initial = model_to_dict(instance, fields=list(section.fields)) if instance is not None else {}
    form = section_form_class(section)(data=data, initial=initial, prefix=key)
    for name, field in form.fields.items():
        if isinstance(field, OccupationField):
            current_id = form[name].value()
            current = Occupation.objects.filter(pk=current_id).first() if str(current_id or "").isdigit() else None
            field.offer(occupation_matches or [], current)
    return form


class WorkExperienceForm(SectionForm):
    occupation = OccupationField(label=_("Yrke"))
    years = forms.DecimalField(label=_("Antal år"), min_value=0, max_value=60, max_digits=3, decimal_places=1,
                               help_text=_("Till exempel 2 eller 0,5."), localize=True)
    country = forms.CharField(label=_("Land"), required=False, max_length=max_length_of(WorkExperience, "country"))
    description = forms.CharField(label=_("Beskrivning"), required=False,
                                  max_length=max_length_of(WorkExperience, "description"))

    def __init__(self, *args: Any, occupation_matches: list[Occupation] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "arbete")
        super().__init__(*args, **kwargs)
        current_id = self["occupation"].value()
        current = Occupation.objects.filter(pk=current_id).first() if str(current_id or "").isdigit() else None
        field = self.fields["occupation"]
        assert isinstance(field, OccupationField)
        field.offer(occupation_matches or [], current)

    def row_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in ("occupation", "years", "country", "description")}


def display_value(instance: Any, name: str) -> str:
    """A field's value as the page shows it read-only."""
    if instance is None:
        return ""
    field = type(instance)._meta.get_field(name)
    value = getattr(instance, name)
    if getattr(field, "choices", None):
        return str(getattr(instance, f"get_{name}_display")()) if value else ""
    if isinstance(field, models.BooleanField):
        return str(_("Ja") if value else _("Nej"))
    if isinstance(field, models.DateField):
        return value.isoformat() if value else ""
    return "" if value is None else str(value)


__all__ = ["WorkExperience", "section_form", "WorkExperienceForm", "display_value"]
