"""API representations of activities, sessions, attendance and deviations.

Input serializers only parse types; every rule (dates, capacity, attendance
reasons, who may) is the services' and `rules`', so the API refuses exactly what
the UI refuses, with the same Swedish messages. Persons appear by id and name
only (data minimisation).
"""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jobbtorg.activities.models import (
    Activity,
    ActivityFollowUp,
    ActivitySession,
    Attendance,
    CatalogueItem,
    Deviation,
)
from jobbtorg.activities.rules import Rate
from jobbtorg.core import api_fields
from jobbtorg.organisation.models import Provider

MAX_ID = 2**63 - 1


def _person_name(person: Any) -> str:
    return f"{person.first_name} {person.last_name}"


class AttendanceRateSerializer(serializers.Serializer):
    present = serializers.IntegerField()
    absent = serializers.IntegerField()
    non_cooperation = serializers.IntegerField()
    missing = serializers.IntegerField(help_text="Tillfällen utan registrering (Ej registrerad). Räknas aldrig som frånvaro.")
    registered = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True, help_text="Närvarande / registrerade tillfällen, i procent.")


def rate_data(rate: Rate) -> dict[str, Any]:
    return {
        "present": rate.present,
        "absent": rate.absent,
        "non_cooperation": rate.non_cooperation,
        "missing": rate.missing,
        "registered": rate.registered,
        "percent": rate.percent,
    }


class CatalogueItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = CatalogueItem
        fields = ["id", "name", "category", "description", "providers", "default_length_days", "capacity", "active"]
        read_only_fields = fields


class ActivityFollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityFollowUp
        fields = ["id", "followed_up_on", "result", "decision", "previous_end_date", "new_end_date", "successor", "author_name"]
        read_only_fields = fields


class ActivitySerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="participation.person_id", read_only=True)
    person_name = serializers.SerializerMethodField()
    catalogue_item_name = serializers.CharField(source="catalogue_item.name", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True, default=None)
    attendance = serializers.SerializerMethodField()
    followups = ActivityFollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "participation",
            "person",
            "person_name",
            "catalogue_item",
            "catalogue_item_name",
            "provider",
            "provider_name",
            "start_date",
            "end_date",
            "location",
            "description",
            "status",
            "closed_on",
            "predecessor",
            "version",
            "attendance",
            "followups",
        ]
        read_only_fields = fields

    def get_person_name(self, activity: Activity) -> str:
        return _person_name(activity.participation.person)

    @extend_schema_field(AttendanceRateSerializer(allow_null=True))
    def get_attendance(self, activity: Activity) -> dict[str, Any] | None:
        rate = getattr(activity, "rate", None)
        return rate_data(rate) if rate is not None else None


class ActivityCreateSerializer(serializers.Serializer):
    participation = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    catalogue_item = serializers.PrimaryKeyRelatedField(queryset=CatalogueItem.objects.all())
    provider = serializers.PrimaryKeyRelatedField(queryset=Provider.objects.all(), allow_null=True, required=False)
    start_date = api_fields.DateField(required=False, allow_null=True)
    end_date = api_fields.DateField(required=False, allow_null=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ActivityUpdateSerializer(serializers.Serializer):
    provider = serializers.PrimaryKeyRelatedField(queryset=Provider.objects.all(), allow_null=True, required=False)
    start_date = api_fields.DateField(required=False)
    end_date = api_fields.DateField(required=False)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class ActivitySuccessorSerializer(serializers.Serializer):
    catalogue_item = serializers.PrimaryKeyRelatedField(queryset=CatalogueItem.objects.all())
    provider = serializers.PrimaryKeyRelatedField(queryset=Provider.objects.all(), allow_null=True, required=False)
    start_date = api_fields.DateField(required=False, allow_null=True)
    end_date = api_fields.DateField(required=False, allow_null=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ActivityFollowUpInputSerializer(serializers.Serializer):
    followed_up_on = api_fields.DateField(required=False, allow_null=True)
    result = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    decision = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    new_end_date = api_fields.DateField(required=False, allow_null=True)
    successor = ActivitySuccessorSerializer(required=False, allow_null=True)
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class AttendanceSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="activity.participation.person_id", read_only=True)
    person_name = serializers.SerializerMethodField()
    registered = serializers.BooleanField(source="is_registered", read_only=True)
    label = serializers.SerializerMethodField(help_text="Närvarande, Frånvarande – Sjuk, …, eller Ej registrerad.")
    deviation = serializers.SerializerMethodField()

    class Meta:
        model = Attendance
        fields = [
            "id",
            "session",
            "activity",
            "person",
            "person_name",
            "date",
            "registered",
            "status",
            "absence_reason",
            "note",
            "label",
            "registered_at",
            "version",
            "deviation",
        ]
        read_only_fields = fields

    def get_person_name(self, attendance: Attendance) -> str:
        return _person_name(attendance.activity.participation.person)

    def get_label(self, attendance: Attendance) -> str:
        from jobbtorg.activities.services import describe

        return describe(attendance)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_deviation(self, attendance: Attendance) -> int | None:
        try:
            return attendance.deviation.pk
        except Deviation.DoesNotExist:
            return None


class ActivitySessionSerializer(serializers.ModelSerializer):
    catalogue_item_name = serializers.CharField(source="catalogue_item.name", read_only=True)

    class Meta:
        model = ActivitySession
        fields = ["id", "catalogue_item", "catalogue_item_name", "provider", "host", "date", "start_time", "end_time", "is_group"]
        read_only_fields = fields


class ActivitySessionDetailSerializer(ActivitySessionSerializer):
    attendances = serializers.SerializerMethodField()

    class Meta(ActivitySessionSerializer.Meta):
        fields = [*ActivitySessionSerializer.Meta.fields, "attendances"]
        read_only_fields = fields

    @extend_schema_field(AttendanceSerializer(many=True))
    def get_attendances(self, session: ActivitySession) -> list[dict[str, Any]]:
        return AttendanceSerializer(self.context.get("rows", []), many=True).data


class ActivitySessionCreateSerializer(serializers.Serializer):
    activities = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=1, max_length=200
    )
    date = api_fields.DateField()
    last_date = api_fields.DateField(required=False, allow_null=True)
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6), required=False, default=[0, 1, 2, 3, 4], max_length=7
    )
    start_time = serializers.TimeField(required=False, allow_null=True)
    end_time = serializers.TimeField(required=False, allow_null=True)
    group = serializers.BooleanField(required=False, default=False)


class AttendanceRegistrationSerializer(serializers.Serializer):
    status = serializers.CharField(max_length=20, allow_null=True, allow_blank=True, required=False, default=None)
    absence_reason = serializers.CharField(max_length=20, allow_blank=True, required=False, default="")
    note = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False, allow_null=True)


class AttendanceBulkRowSerializer(AttendanceRegistrationSerializer):
    attendance = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class AttendanceBulkSerializer(serializers.Serializer):
    rows = AttendanceBulkRowSerializer(many=True, allow_empty=False, max_length=500)


class AttendanceDaySerializer(AttendanceRegistrationSerializer):
    activity = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    date = api_fields.DateField()


class MissingAttendanceFilterSerializer(serializers.Serializer):
    date = api_fields.DateField(required=False, help_text="Till och med denna dag (ÅÅÅÅ-MM-DD). Standard: i dag.")


class DeviationSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="participation.person_id", read_only=True)
    person_name = serializers.SerializerMethodField()
    activity = serializers.IntegerField(source="attendance.activity_id", read_only=True)
    catalogue_item_name = serializers.CharField(source="attendance.activity.catalogue_item.name", read_only=True)
    acknowledged_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Deviation
        fields = [
            "id",
            "participation",
            "person",
            "person_name",
            "district",
            "kind",
            "occurred_on",
            "reported_on",
            "activity",
            "catalogue_item_name",
            "attendance",
            "appointment",
            "acknowledged_on",
            "acknowledged_by_name",
            "district_note",
            "withdrawn_on",
            "version",
        ]
        read_only_fields = fields

    def get_person_name(self, deviation: Deviation) -> str:
        return _person_name(deviation.participation.person)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_acknowledged_by_name(self, deviation: Deviation) -> str | None:
        user = deviation.acknowledged_by
        return (user.get_full_name() or user.get_username()) if user else None


class DeviationAcknowledgeSerializer(serializers.Serializer):
    district_note = serializers.CharField(
        max_length=5000,
        allow_blank=True,
        required=False,
        default="",
        help_text="Stadsdelens beslut/åtgärd: stadsdelens egen anteckning. Jobbtorget fattar inga beslut om försörjningsstöd.",
    )
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False, allow_null=True)


class DeviationFilterSerializer(serializers.Serializer):
    acknowledged = serializers.BooleanField(required=False, default=False)
