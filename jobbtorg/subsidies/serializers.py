"""API representations of subsidy cases, steps, rules and evaluations, and the inputs of their
actions. Input serializers only parse (types, lengths, id and date ranges, so nothing out of
range reaches the database); every rule is subsidies.services', which answer in Swedish.
"""

import datetime
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from jobbtorg.deadlines.rules import State, state_of
from jobbtorg.eligibility.serializers import BoundedDateField, StrictSerializer, id_field, version_field
from jobbtorg.subsidies import steps as step_rules
from jobbtorg.subsidies.models import CaseStatus, StepStatus, SubsidyCase, SubsidyStep, SubsidyType

# --- representations ---------------------------------------------------------------------------------


class SubsidyStepSerializer(serializers.ModelSerializer):
    number = serializers.SerializerMethodField()
    label = serializers.SerializerMethodField()
    limit = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    case = serializers.IntegerField(source="case_id", read_only=True)

    class Meta:
        model = SubsidyStep
        fields = [
            "id",
            "case",
            "kind",
            "number",
            "label",
            "limit",
            "status",
            "responsible",
            "opened_on",
            "due_on",
            "paused_on",
            "done_on",
            "outcome",
            "note",
            "data",
            "overdue",
        ]
        read_only_fields = fields

    def _rule(self, obj: SubsidyStep) -> step_rules.StepRule:
        return step_rules.STEP_RULES[step_rules.StepKind(obj.kind)]

    def get_number(self, obj: SubsidyStep) -> int:
        return self._rule(obj).number

    def get_label(self, obj: SubsidyStep) -> str:
        return self._rule(obj).label_for(obj.case.route)

    def get_limit(self, obj: SubsidyStep) -> str:
        return self._rule(obj).limit_text

    def get_overdue(self, obj: SubsidyStep) -> bool:
        today = self.context.get("today") or timezone.localdate()
        is_open = obj.status == StepStatus.OPEN
        return state_of(is_open=is_open, due=obj.due_on, paused_on=obj.paused_on, today=today) == State.OVERDUE


class SubsidyCaseSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="participation.person_id", read_only=True)
    unit = serializers.IntegerField(source="participation.unit_id", read_only=True)
    steps = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = SubsidyCase
        fields = [
            "id",
            "version",
            "participation",
            "person",
            "unit",
            "subsidy_type",
            "employer",
            "route",
            "status",
            "notified_on",
            "notification_text",
            "preceded_by_practice",
            "supervisor_contact",
            "supervisor_name",
            "supervisor_phone",
            "supervisor_email",
            "planned_start",
            "decision_on",
            "period_from",
            "period_to",
            "decision_missing_facts",
            "ended_on",
            "end_reason",
            "steps",
            "warnings",
        ]
        read_only_fields = fields

    def get_steps(self, obj: SubsidyCase) -> list[dict[str, Any]]:
        return SubsidyStepSerializer(list(obj.steps.all()), many=True, context=self.context).data

    def get_warnings(self, obj: SubsidyCase) -> list[str] | None:
        warnings = self.context.get("warnings")
        return warnings(obj) if warnings else None


# --- inputs ----------------------------------------------------------------------------------------------


class SubsidySupervisorInput(StrictSerializer):
    supervisor_contact = id_field(required=False, allow_null=True)
    supervisor_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    supervisor_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    supervisor_email = serializers.EmailField(
        max_length=254, required=False, allow_blank=True, default="", error_messages={"invalid": "Skriv en giltig e-postadress."}
    )
    notification_text = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    preceded_by_practice = serializers.BooleanField(required=False, default=False)
    planned_start = BoundedDateField(required=False, allow_null=True, default=None)


class SubsidyCaseInput(SubsidySupervisorInput):
    participation = id_field(error_messages={"required": "Ange deltagandet (participation)."})
    subsidy_type = serializers.ChoiceField(
        choices=SubsidyType.choices, error_messages={"invalid_choice": "Välj en stödform: " + ", ".join(SubsidyType.values) + "."}
    )
    employer = id_field(error_messages={"required": "Ange arbetsgivaren (employer)."})
    notified_on = BoundedDateField(error_messages={"required": "Ange datum för intresseanmälan."})


class SubsidyCaseDetailsInput(SubsidySupervisorInput):
    version = version_field()


class SubsidyDecisionInput(StrictSerializer):
    version = version_field()
    decision_on = BoundedDateField()
    period_from = BoundedDateField()
    period_to = BoundedDateField()
    # Nystartsjobb while eligibility cannot be determined: what the decision rests on for the missing facts.
    missing_facts = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class SubsidyCloseInput(StrictSerializer):
    version = version_field()
    status = serializers.ChoiceField(choices=[(CaseStatus.REFUSED, "Ej beviljat"), (CaseStatus.WITHDRAWN, "Återkallat")])
    on = BoundedDateField()
    reason = serializers.CharField(max_length=2000)


class SubsidyTerminateInput(StrictSerializer):
    version = version_field()
    terminated_on = BoundedDateField()
    reason = serializers.CharField(max_length=2000)


class SubsidyEndInput(StrictSerializer):
    version = version_field()
    ended_on = BoundedDateField()


class SubsidyStepInput(StrictSerializer):
    version = version_field()
    kind = serializers.ChoiceField(choices=[(k.value, str(r.label)) for k, r in step_rules.STEP_RULES.items()])
    done_on = BoundedDateField()
    outcome = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    notified = serializers.ListField(
        child=serializers.ChoiceField(choices=list(step_rules.NOTIFIED_PARTIES)), required=False, max_length=3
    )
    meeting_on = BoundedDateField(required=False)
    completion_due = BoundedDateField(required=False)
    period_from = BoundedDateField(required=False)
    period_to = BoundedDateField(required=False)

    def service_data(self) -> dict[str, Any]:
        d = self.validated_data
        data: dict[str, Any] = {}
        for name in ("notified", "meeting_on", "completion_due", "period_from", "period_to"):
            if name in d:
                data[name] = d[name].isoformat() if isinstance(d[name], datetime.date) else d[name]
        return data


class SubsidyBoardRowSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField(allow_null=True)
    unit_name = serializers.CharField()
    kind = serializers.CharField()
    number = serializers.CharField(help_text="Stegets nummer, unikt i processen (t.ex. 2b).")
    label = serializers.CharField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    median_days_late = serializers.FloatField(allow_null=True)
    max_days_late = serializers.IntegerField(allow_null=True)
