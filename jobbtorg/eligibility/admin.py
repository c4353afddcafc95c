"""Admin for the qualification rules (DOMAIN §18): the system administrator adds a new rule
version without a deploy. A saved version is not edited afterwards (only its end date), so an
evaluation can always be traced to the rule it used; a new version ends the open-ended one
before it (eligibility.services.add_rule_version). Cases and steps are not here: they belong to
a person and are reached only through the access rules.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from jobbtorg.accounts.admin import SysadminOnlyAdmin
from jobbtorg.audit.services import Actor
from jobbtorg.eligibility import services as eligibility_services
from jobbtorg.eligibility.models import QualificationRule


class QualificationRuleForm(forms.ModelForm):
    class Meta:
        model = QualificationRule
        fields = ["subsidy_type", "valid_from", "valid_to", "source", "source_text", "parameters"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data is None:  # Django's clean() returns cleaned_data; the stubs allow None (a subclass may)
            data = self.cleaned_data
        if self.instance.pk:
            valid_to = data.get("valid_to")
            if valid_to and valid_to < self.instance.valid_from:
                raise ValidationError({"valid_to": "Ange ett slutdatum som är samma dag som eller efter startdatum."})
            return data
        errors = eligibility_services.rule_version_errors(
            data.get("subsidy_type", ""),
            data.get("valid_from"),
            data.get("valid_to"),
            data.get("source", ""),
            data.get("parameters"),
        )
        if errors:
            raise ValidationError({k: v for k, v in errors.items() if k in self.fields or k == "__all__"} or errors)
        return data


@admin.register(QualificationRule)
class QualificationRuleAdmin(SysadminOnlyAdmin, admin.ModelAdmin):
    form = QualificationRuleForm
    list_display = ("subsidy_type", "version", "valid_from", "valid_to", "source")
    list_filter = ("subsidy_type",)
    ordering = ("subsidy_type", "-valid_from")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is not None:
            return ("subsidy_type", "version", "valid_from", "source", "source_text", "parameters")
        return ("version",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: QualificationRule, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        d = form.cleaned_data
        saved = eligibility_services.add_rule_version(
            Actor.from_request(request),
            subsidy_type=d["subsidy_type"],
            valid_from=d["valid_from"],
            valid_to=d.get("valid_to"),
            source=d["source"],
            source_text=d.get("source_text", ""),
            parameters=d["parameters"],
        )
        obj.pk, obj.version = saved.pk, saved.version
