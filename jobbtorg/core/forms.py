"""Base classes for every form in Jobbtorg: use `Form` and `ModelForm` from here, not django.forms.

Swedish labels end without a colon ("Avslutsdatum", not "Avslutsdatum:"). Django's
BaseForm.__init__ sets `self.label_suffix` from its argument and falls back to ":", so a
class attribute alone is overwritten: the default is changed in __init__ instead. A caller may
still pass label_suffix explicitly.
"""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.text import format_lazy
from django.utils.translation import gettext as _

from jobbtorg.core.date_bounds import validate_sane_date


def show_length_limit(field: forms.Field) -> None:
    """A long text field tells its limit ("Högst 2 000 tecken."); the widget already has maxlength,
    and static/js/forms.js adds a counter. The limit is the field's, which a model form reads from the model."""
    limit = getattr(field, "max_length", None)
    if limit is None or not isinstance(field.widget, forms.Textarea) or getattr(field, "_limit_shown", False):
        return
    hint = _("Högst %(limit)s tecken.") % {"limit": number_format(limit, force_grouping=True)}
    field.help_text = format_lazy("{} {}", field.help_text, hint) if field.help_text else hint
    field._limit_shown = True  # type: ignore[attr-defined]


class JobbtorgFormMixin:
    """No colon after labels; `keep_values` for forms re-rendered while they are being filled in."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # Every date field refuses years that can only be typing errors (issue 8 item 11).
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, (forms.DateField, forms.DateTimeField)) and validate_sane_date not in field.validators:
                field.validators.append(validate_sane_date)
            show_length_limit(field)

    def add_domain_error(self, exc: ValidationError) -> None:
        """Put a service's DomainError on the form: each message on its field, or on the form.

        Django marks a field with errors aria-invalid and points its aria-describedby at the
        hint and the message (WCAG 3.3.1), so nothing more is needed here."""
        form: forms.BaseForm = self  # type: ignore[assignment]
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                target = name if name in form.fields else None
                for message in messages:
                    form.add_error(target, message)
        else:
            for message in exc.messages:
                form.add_error(None, message)

    def keep_values(self, data: Mapping[str, Any]) -> None:
        """Show the values in `data` (what the user has typed so far) on this unbound form.

        For a form re-rendered half-filled, e.g. by htmx when a choice changes which questions
        are asked: the values become the form's initial values, so nothing is validated and no
        error is shown before the user submits. Fields missing from `data` keep their initial.
        """
        form: forms.BaseForm = self  # type: ignore[assignment]
        typed = {}
        for name, field in form.fields.items():
            key = form.add_prefix(name)
            if not field.disabled and not field.widget.value_omitted_from_data(data, {}, key):
                typed[name] = field.widget.value_from_datadict(data, {}, key)
        form.initial = {**form.initial, **typed}  # a copy: the caller's initial dict stays as it was


class Form(JobbtorgFormMixin, forms.Form):
    pass


class ModelForm(JobbtorgFormMixin, forms.ModelForm):
    pass
