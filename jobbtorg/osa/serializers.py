"""API shapes of OSA cases and the inputs of their actions. Inputs only parse; rules are osa.services'."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jobbtorg.core import api_fields
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import OSA_KINDS
from jobbtorg.osa.models import FollowUpMeeting, IndividualReview, OsaCase, OsaPeriod, PlanItem, Transfer

MAX_ID = 2**63 - 1
MAX_VERSION = 2**31 - 1
DATE_ERRORS = {"invalid": "Skriv datumet som ÅÅÅÅ-MM-DD.", "required": "Ange ett datum.", "null": "Ange ett datum."}


def id_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def version_field(what: str = "OSA-anställningen") -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=0, max_value=MAX_VERSION,
        error_messages={"required": f"Ange vilken version av {what} du ändrar (fältet version)."},
    )  # fmt: skip


def date_field(**kwargs: Any) -> serializers.DateField:
    return api_fields.DateField(error_messages=DATE_ERRORS, **kwargs)


def text(max_length: int, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, default="", **kwargs)


class PeriodSerializer(serializers.ModelSerializer):
    review = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = OsaPeriod
        fields = ["id", "number", "kind", "start_date", "end_date", "months", "length_reason", "review"]


class ReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndividualReview
        fields = ["id", "reviewed_on", "decided_by", "decided_by_name", "outcome", "outcome_display", "legacy_reviewed_by",
                  "reasoning"]  # fmt: skip

    decided_by_name = serializers.CharField(source="decider_name", read_only=True)
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)


class MeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUpMeeting
        fields = ["id", "held_on", "employee", "af", "district", "jobbtorg", "workplace", "notes"]


class DeadlineSerializer(serializers.ModelSerializer):
    """A follow-up of the case, from the one deadline store (deadlines.Deadline)."""

    class Meta:
        model = Deadline
        fields = ["kind", "label", "due_date", "status", "paused_on", "done_on"]


class TransferSerializer(serializers.ModelSerializer):
    class Meta:
        model = Transfer
        fields = ["id", "from_district", "to_district", "decided_on", "handover_on", "note"]


class PlanItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanItem
        fields = ["activity", "responsible", "responsible_name", "planned_on", "note"]


class CaseListSerializer(serializers.ModelSerializer):
    next_due = api_fields.DateField(read_only=True, allow_null=True)
    overdue = serializers.BooleanField(read_only=True)
    total_months = serializers.IntegerField(read_only=True)
    ends_on = api_fields.DateField(read_only=True, allow_null=True)

    class Meta:
        model = OsaCase
        fields = ["id", "person", "district", "next_district", "handover_on", "employer", "next_due", "overdue",
                  "total_months", "ends_on", "version"]  # fmt: skip


class CaseSerializer(serializers.ModelSerializer):
    periods = PeriodSerializer(many=True, read_only=True)
    reviews = ReviewSerializer(many=True, read_only=True)
    meetings = MeetingSerializer(many=True, read_only=True)
    deadlines = serializers.SerializerMethodField()
    transfers = TransferSerializer(many=True, read_only=True)
    total_months = serializers.SerializerMethodField()

    class Meta:
        model = OsaCase
        fields = [
            "id", "person", "district", "next_district", "handover_on", "employer", "workplace",
            "ground_cognitive_or_addiction", "ground_lss", "ground_no_contact_or_mental_illness",
            "assessed_on", "assessed_by_district", "assessed_by_af", "af_unit", "assessment_outcome", "assessment_note",
            "transition_planned", "transition_planned_on", "total_months", "periods", "reviews", "meetings", "deadlines",
            "transfers", "version", "status", "ended_on", "end_reason", "end_reason_text",
        ]  # fmt: skip

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, obj: OsaCase) -> Any:
        rows = Deadline.objects.filter(kind__in=OSA_KINDS, subject_id=obj.pk).order_by("due_date", "id")
        return DeadlineSerializer(rows, many=True).data

    def get_total_months(self, obj: OsaCase) -> int:
        return sum(p.months for p in obj.periods.all())


class CaseInput(serializers.Serializer):
    person = id_field(error_messages={"required": "Ange person (id)."})
    employer = id_field(required=False, allow_null=True, default=None)
    workplace = text(200)
    grounds = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list, max_length=3)
    assessed_on = date_field(required=False, allow_null=True, default=None)
    assessed_by_district = text(150)
    assessed_by_af = text(150)
    af_unit = id_field(required=False, allow_null=True, default=None)
    assessment_outcome = text(30)
    assessment_note = text(2000)
    start_date = date_field(required=False, allow_null=True, default=None)
    months = serializers.IntegerField(required=False, allow_null=True, default=6, min_value=-1000, max_value=1000)
    length_reason = text(300)


class ExtensionInput(serializers.Serializer):
    version = version_field()
    # Any integer parses; the service says that only 6 or 12 months are allowed.
    months = serializers.IntegerField(min_value=-1000, max_value=1000, error_messages={"required": "Ange 6 eller 12 månader."})


class ReviewInput(serializers.Serializer):
    reviewed_on = date_field(required=False, allow_null=True, default=None)
    # The decider is the requesting user (the officer responsible for the case).
    outcome = text(10, help_text="approved | refused")
    reasoning = text(4000)


class PlanInput(serializers.Serializer):
    version = version_field("genomförandeplanen")
    note = text(300)
    items = serializers.ListField(
        child=serializers.DictField(), max_length=30, error_messages={"required": "Ange planens insatser (items)."}
    )

    def validate_items(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        parsed = []
        for index, raw in enumerate(value):
            item = PlanItemInput(data=raw)
            if not item.is_valid():
                raise serializers.ValidationError({str(index): item.errors})
            parsed.append(dict(item.validated_data))
        return parsed


class PlanItemInput(serializers.Serializer):
    activity = text(40)
    responsible = text(20)
    responsible_name = text(150)
    planned_on = date_field(required=False, allow_null=True, default=None)
    note = text(300)


class MeetingInput(serializers.Serializer):
    held_on = date_field(required=False, allow_null=True, default=None)
    parties = serializers.ListField(child=serializers.CharField(max_length=20), max_length=5, required=False, default=list)
    notes = text(4000)


class TransitionInput(serializers.Serializer):
    version = version_field()
    planned = serializers.BooleanField()


class TransferInput(serializers.Serializer):
    version = version_field()
    to_district = id_field(required=False, allow_null=True, default=None)
    handover_on = date_field(required=False, allow_null=True, default=None)
    note = text(300)


class EndInput(serializers.Serializer):
    version = version_field()
    ended_on = date_field(required=False, allow_null=True, default=None)
    reason = text(20)
    reason_text = text(300)


class PlacesInput(serializers.Serializer):
    district = id_field()
    year = serializers.IntegerField(min_value=-100000, max_value=100000)
    planned = serializers.IntegerField(min_value=-100000, max_value=100000)
    af_unit = id_field(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(min_value=1, max_value=MAX_VERSION, required=False, allow_null=True, default=None)
