"""Every form: Swedish labels without a trailing colon (core.forms), and the one shared pair of
form partials (templates/forms/_field.html and _errors.html) with its accessibility hooks."""

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.http import QueryDict
from django.template.loader import render_to_string

import jobbtorg
from jobbtorg.core.forms import Form, JobbtorgFormMixin
from jobbtorg.core.tests.html_checks import parse

TEMPLATES = Path(settings.BASE_DIR) / "jobbtorg" / "templates"


def form_modules():
    for app in pkgutil.iter_modules(jobbtorg.__path__):
        if (Path(jobbtorg.__path__[0]) / app.name / "forms.py").exists():
            yield importlib.import_module(f"jobbtorg.{app.name}.forms")


def form_classes():
    for module in form_modules():
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__ != "jobbtorg.core.forms":
                yield cls


def test_every_form_uses_the_core_base():
    classes = list(form_classes())
    assert len(classes) > 30
    assert [c.__qualname__ for c in classes if not issubclass(c, JobbtorgFormMixin)] == []


@pytest.mark.django_db
def test_no_label_ends_with_a_colon():
    rendered = []
    for cls in form_classes():
        try:
            form = cls()
        except TypeError:  # needs its page's arguments (coaches=, kind=, ...); covered by the page tests
            continue
        html = form.as_div() + "".join(render_to_string("forms/_field.html", {"field": bf}) for bf in form)
        assert ":</label>" not in html and ":</legend>" not in html, cls.__qualname__
        rendered.append(cls)
    assert len(rendered) > 25
    assert len({cls.__module__ for cls in rendered}) >= 8  # forms of most apps


def test_a_plain_django_form_would_have_the_colon():
    """The check above can fail: Django's own default is still ':'."""

    class Plain(forms.Form):
        name = forms.CharField(label="Namn")

    class Ours(Form):
        name = forms.CharField(label="Namn")

    assert "Namn:</label>" in Plain().as_div()
    assert "Namn</label>" in Ours().as_div()
    assert "Namn;</label>" in Ours(label_suffix=";").as_div()  # a caller may still choose


class Sample(Form):
    day = forms.DateField(label="Dag", help_text="ÅÅÅÅ-MM-DD")
    choice = forms.ChoiceField(label="Val", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    note = forms.CharField(label="Anteckning", required=False, widget=forms.Textarea)
    version = forms.IntegerField(widget=forms.HiddenInput)


def test_keep_values_shows_typed_values_without_validating():
    initial = {"version": 3}
    form = Sample(initial=initial)
    form.keep_values(QueryDict("day=inte-ett-datum&choice=b&note=Hej"))
    html = form.as_div()
    assert not form.is_bound and not form.errors
    inputs = {e.attrs["id"]: e.attrs for e in parse(html).iter() if e.tag == "input"}
    assert inputs["id_day"]["value"] == "inte-ett-datum" and inputs["id_version"]["value"] == "3"
    assert "checked" in inputs["id_choice_1"] and "checked" not in inputs["id_choice_0"]
    assert "Hej</textarea>" in html
    assert initial == {"version": 3}  # the caller's dict is not changed


def test_shared_field_partial_is_accessible():
    form = Sample({"day": "x", "choice": "", "version": "1"})
    form.is_valid()
    day = render_to_string("forms/_field.html", {"field": form["day"]})
    assert '<label for="id_day">Dag</label>' in day
    assert 'id="id_day_helptext"' in day and 'id="id_day_error"' in day
    assert 'aria-describedby="id_day_helptext id_day_error"' in day and 'aria-invalid="true"' in day
    assert 'class="field__error"' in day  # the message is text, not only colour
    choice = render_to_string("forms/_field.html", {"field": form["choice"]})
    assert '<fieldset aria-describedby="id_choice_error"><legend>Val</legend>' in choice
    hidden = render_to_string("forms/_field.html", {"field": form["version"]})
    assert hidden.strip().startswith('<input type="hidden"') and "<label" not in hidden


def test_shared_error_summary_links_each_error_to_its_field():
    form = Sample({"day": "x", "choice": "", "version": ""})
    form.is_valid()
    html = render_to_string("forms/_errors.html", {"form": form})
    assert 'role="alert"' in html and 'id="error-summary"' in html and 'aria-labelledby="error-summary-title"' in html
    assert '<h2 id="error-summary-title">Rätta felen nedan</h2>' in html
    assert 'href="#id_day"' in html and 'href="#id_choice_0"' in html  # a radio group links to its first option
    assert "Formuläret är inaktuellt. Ladda om sidan." in html and 'href="#id_version"' not in html
    custom = render_to_string(
        "forms/_errors.html", {"form": form, "summary_id": "x-errors", "summary_level": 3, "summary_title": "Rätta och spara"}
    )
    assert '<h3 id="x-errors-title">Rätta och spara</h3>' in custom and 'id="x-errors"' in custom
    conflict = render_to_string("forms/_errors.html", {"form": None, "conflict": "Sparat av någon annan."})
    assert "Någon annan har ändrat samtidigt" in conflict and "Sparat av någon annan." in conflict
    assert render_to_string("forms/_errors.html", {"form": Sample()}).strip() == ""


def test_only_one_copy_of_the_form_partials():
    copies = sorted(str(p.relative_to(TEMPLATES)) for name in ("_field.html", "_errors.html") for p in TEMPLATES.rglob(name))
    assert copies == ["forms/_errors.html", "forms/_field.html"]


class Consent(Form):
    informed = forms.BooleanField(label="Information given", help_text="Tick when done.", required=True)


def test_single_checkbox_has_its_label_after_the_box():
    form = Consent({})
    form.is_valid()
    html = render_to_string("forms/_field.html", {"field": form["informed"]})
    box = html.index('<input type="checkbox"')
    assert 'class="field field--checkbox field--error"' in html
    assert html.index('<label for="id_informed">Information given</label>') > box  # label follows the box
    assert html.index('id="id_informed_error"') < box < html.index('id="id_informed_helptext"')
    assert 'aria-describedby="id_informed_helptext id_informed_error"' in html and "<fieldset" not in html


def test_service_error_keeps_the_hint_linked():
    """A DomainError from a service lands on its field; the field still points at its hint and at
    the message (it used to lose the hint: the old per-app add_error set aria-describedby itself)."""
    from django.core.exceptions import ValidationError

    class Registration(Form):
        code = forms.CharField(label="Kod", help_text="Koden i checklistan.")

    form = Registration({"code": "99"})
    assert form.is_valid()
    form.add_domain_error(ValidationError({"code": "Koden finns inte.", "other": "Något annat gick fel."}))
    html = render_to_string("forms/_field.html", {"field": form["code"]})
    assert 'aria-describedby="id_code_helptext id_code_error"' in html and 'aria-invalid="true"' in html
    assert "Koden finns inte." in html and form.non_field_errors() == ["Något annat gick fel."]
