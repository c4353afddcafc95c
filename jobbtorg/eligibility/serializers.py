"""API representations of the qualification rules and evaluations, the inputs of the
eligibility actions, and the bounded fields the subsidy serializers share (eligibility sits
below subsidies, ADR 0015). Input serializers only parse; the rules are the services'.
"""

import datetime
from typing import Any

from rest_framework import serializers

from jobbtorg.eligibility import rules as eligibility_rules
from jobbtorg.eligibility.models import MonthKind, QualificationRule, SubsidyType

MAX_ID = 2**63 - 1
MAX_VERSION = 2**31 - 1


def id_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class BoundedDateField(serializers.DateField):
    """A date between 2000-01-01 and 2100-12-31, written ÅÅÅÅ-MM-DD."""

    default_error_messages = {
        "invalid": "Skriv datumet som ÅÅÅÅ-MM-DD.",
        "datetime": "Ange ett datum utan klockslag.",
        "range": "Ange ett datum mellan år 2000 och 2100.",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(**kwargs)

    def to_internal_value(self, value: Any) -> datetime.date:
        day = super().to_internal_value(value)
        if not eligibility_rules.DATE_MIN <= day <= eligibility_rules.DATE_MAX:
            self.fail("range")
        return day


def version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        help_text="Ärendets version som du läste. Har någon annan ändrat ärendet sedan dess blir svaret 409.",
        error_messages={"required": "Ange vilken version av ärendet du ändrar (fältet version)."},
    )


class StrictSerializer(serializers.Serializer):
    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["Skicka uppgifterna som ett JSON-objekt."]})
        return super().to_internal_value(data)


class SubsidyRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = QualificationRule
        fields = ["id", "subsidy_type", "version", "valid_from", "valid_to", "source", "source_text", "parameters"]
        read_only_fields = fields


class SubsidyRuleInput(StrictSerializer):
    subsidy_type = serializers.ChoiceField(choices=SubsidyType.choices)
    valid_from = BoundedDateField()
    valid_to = BoundedDateField(required=False, allow_null=True, default=None)
    source = serializers.CharField(max_length=200)
    source_text = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    parameters = serializers.JSONField()


class SubsidyEvaluateInput(StrictSerializer):
    person = id_field()
    subsidy_type = serializers.ChoiceField(choices=SubsidyType.choices)
    on = BoundedDateField(required=False)


class SubsidyMonthInput(StrictSerializer):
    month = serializers.RegexField(r"^[0-9]{4}-[0-9]{2}$", error_messages={"invalid": "Skriv månaden som ÅÅÅÅ-MM."})
    kind = serializers.ChoiceField(choices=MonthKind.choices, allow_blank=True, allow_null=True)

    def validate_month(self, value: str) -> datetime.date:
        try:
            return datetime.date(int(value[:4]), int(value[5:]), 1)
        except ValueError:
            raise serializers.ValidationError("Skriv månaden som ÅÅÅÅ-MM.") from None


class SubsidyFactsInput(StrictSerializer):
    version = serializers.IntegerField(min_value=1, max_value=MAX_VERSION, required=False, allow_null=True, default=None)
    registered_at_af = serializers.BooleanField(allow_null=True, required=False, default=None)
    establishment_programme = serializers.BooleanField(allow_null=True, required=False, default=None)
    job_guarantee = serializers.BooleanField(allow_null=True, required=False, default=None)
    newly_arrived = serializers.BooleanField(allow_null=True, required=False, default=None)
    residence_permit_on = BoundedDateField(allow_null=True, required=False, default=None)
    youth_guarantee_days = serializers.IntegerField(min_value=0, max_value=5000, allow_null=True, required=False, default=None)
    months = SubsidyMonthInput(many=True, required=False, max_length=240)


class SubsidyConditionSerializer(serializers.Serializer):
    key = serializers.CharField()
    met = serializers.BooleanField(allow_null=True)
    text = serializers.CharField()


class SubsidyPathSerializer(serializers.Serializer):
    label = serializers.CharField()
    outcome = serializers.CharField()
    conditions = SubsidyConditionSerializer(many=True)


class SubsidyMonthCountSerializer(serializers.Serializer):
    month = serializers.DateField()
    kind = serializers.CharField(allow_null=True)
    counted = serializers.BooleanField()
    disregarded = serializers.BooleanField()


class SubsidyEvaluationSerializer(serializers.Serializer):
    subsidy_type = serializers.CharField()
    on = serializers.DateField()
    outcome = serializers.CharField()
    outcome_label = serializers.CharField()
    rule_version = serializers.SerializerMethodField()
    reasons = serializers.ListField(child=serializers.CharField())
    missing = serializers.ListField(child=serializers.CharField())
    months = SubsidyMonthCountSerializer(many=True)
    paths = SubsidyPathSerializer(many=True)

    def get_rule_version(self, obj: eligibility_rules.Evaluation) -> int | None:
        return obj.rule.version if obj.rule else None
