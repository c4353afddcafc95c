"""Length limits are the same in form, API and model, and shown to the user (issue 10 item 6).

The model's max_length is the one source: model forms and model serializers read it; a form or
serializer field declared by hand reads it with core.models.max_length_of. This walks every model
form and model serializer of the project, the assessment's section forms and its hand-made
row form and serializer, and asserts each text field's limit is its model field's.
"""

import importlib

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.utils import translation
from rest_framework import serializers

from jobbtorg.assessments import forms as assessment_forms
from jobbtorg.assessments import rules as assessment_rules
from jobbtorg.assessments import serializers as assessment_serializers
from jobbtorg.assessments.models import Assessment, HealthInformation, WorkExperience


def _import_all(module: str) -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("jobbtorg."):
            try:
                importlib.import_module(f"{config.name}.{module}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.{module}":
                    raise


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return {c for c in found if c.__module__.startswith("jobbtorg.")}


# Fields whose typed form is longer than what is stored: a personnummer is typed with a dash or a
# space ("19900101-1234", up to 20 characters) and stored as its 12 digits.
NORMALISED = {"personnummer"}


def _model_limit(model: type[models.Model], name: str) -> int | None:
    try:
        field = model._meta.get_field(name)
    except Exception:
        return None
    if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
        return field.max_length
    return None


def _disagreements(exposed_fields: dict, model: type[models.Model], where: str) -> list[str]:
    found = []
    for name, field in exposed_fields.items():
        if getattr(field, "read_only", False) or getattr(field, "source", name) not in (name, None):
            continue
        limit = _model_limit(model, name)
        if limit is None or name in NORMALISED or not isinstance(field, (forms.CharField, serializers.CharField)):
            continue
        if getattr(field, "max_length", None) != limit:
            found.append(f"{where}.{name}: {getattr(field, 'max_length', None)} != {model._meta.label}.{name} {limit}")
    return found


def test_length_limits_agree_between_model_form_and_api():
    _import_all("forms")
    _import_all("serializers")
    problems: list[str] = []
    checked = 0
    for form_class in _subclasses(forms.ModelForm):
        meta = getattr(form_class, "_meta", None)
        if meta is not None and meta.model is not None:
            problems += _disagreements(form_class.base_fields, meta.model, form_class.__qualname__)
            checked += 1
    for serializer_class in _subclasses(serializers.ModelSerializer):
        meta = getattr(serializer_class, "Meta", None)
        if meta is None or getattr(meta, "model", None) is None:
            continue
        serializer = serializer_class(context={"user": None, "request": None})
        problems += _disagreements(dict(serializer.fields), meta.model, serializer_class.__qualname__)
        checked += 1
    # The assessment: section forms built from the model, and the row form and row serializer built by hand.
    for section in assessment_rules.SECTIONS:
        if section.fields:
            model = HealthInformation if section.strict else Assessment
            form_class = assessment_forms.section_form_class(section)
            problems += _disagreements(form_class.base_fields, model, form_class.__qualname__)
    problems += _disagreements(assessment_forms.WorkExperienceForm.base_fields, WorkExperience, "WorkExperienceForm")
    problems += _disagreements(assessment_serializers.WorkRowInputSerializer().fields, WorkExperience, "WorkRowInputSerializer")
    assert checked > 5 and problems == []


def test_assessment_texts_have_a_limit_in_the_model_and_the_database_path():
    for model in (Assessment, HealthInformation, WorkExperience):
        for field in model._meta.get_fields():
            if isinstance(field, models.TextField):
                assert field.max_length == 2000, field.name
                # Enforced by the model too (the services' clean_fields), not only by forms.
                assert any(getattr(v, "limit_value", None) == 2000 for v in field.validators), field.name
    assert assessment_serializers.AssessmentUpdateSerializer().fields["goals"].max_length == 2000


def test_long_text_field_shows_its_limit():
    with translation.override("sv"):
        form = assessment_forms.section_form("mal", None)
        field = form["goals"]
        html = str(field)
        assert 'maxlength="2000"' in html
        assert "Högst 2\xa0000 tecken." in str(form.fields["goals"].help_text)
    # A short text (one line) carries maxlength but no hint.
    row = assessment_forms.WorkExperienceForm()
    assert 'maxlength="300"' in str(row["description"]) and not row.fields["description"].help_text


@pytest.mark.django_db
def test_too_long_assessment_text_refused_by_the_model():
    from django.core.exceptions import ValidationError

    assessment = Assessment(goals="x" * 2001)
    with pytest.raises(ValidationError) as refused:
        assessment.clean_fields(exclude=[f.name for f in Assessment._meta.fields if f.name != "goals"])
    assert "goals" in refused.value.message_dict
