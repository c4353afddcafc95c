"""API shapes of assessments. Input serializers parse types; the rules are in assessments.services."""

from typing import Any

from django.db import models
from rest_framework import serializers

from jobbtorg.assessments import rules
from jobbtorg.assessments.models import Assessment, HealthInformation, Occupation, WorkExperience
from jobbtorg.core import api_fields
from jobbtorg.core.models import max_length_of

MAX_ID = 2**63 - 1
MAX_VERSION = 2**31 - 1
MAX_OCCUPATION_ID = 2**31 - 1


def occupation_field(**kwargs: Any) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=Occupation.objects.all(), pk_field=serializers.IntegerField(min_value=1, max_value=MAX_OCCUPATION_ID), **kwargs
    )


class AssessmentVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=MAX_VERSION,
                                       help_text="Kartläggningens version från din senaste läsning (optimistisk låsning).")


class AssessmentStartSerializer(serializers.Serializer):
    participation = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class AssessmentParticipationFilterSerializer(AssessmentStartSerializer):
    pass


# Model date fields become API date fields that refuse absurd years (issue 8 item 11).
BOUNDED_DATE_MAPPING = {**serializers.ModelSerializer.serializer_field_mapping, models.DateField: api_fields.DateField}


class AssessmentUpdateSerializer(serializers.ModelSerializer):
    serializer_field_mapping = BOUNDED_DATE_MAPPING
    version = serializers.IntegerField(min_value=1, max_value=MAX_VERSION, write_only=True)
    goal_occupation = occupation_field(required=False, allow_null=True)

    class Meta:
        model = Assessment
        fields = ["version", *rules.ASSESSMENT_FIELDS]
        extra_kwargs = {name: {"required": False} for name in rules.ASSESSMENT_FIELDS if name != "goal_occupation"}

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.validated_data.items() if k != "version"}


class HealthUpdateSerializer(serializers.ModelSerializer):
    serializer_field_mapping = BOUNDED_DATE_MAPPING
    version = serializers.IntegerField(min_value=1, max_value=MAX_VERSION, write_only=True)

    class Meta:
        model = HealthInformation
        fields = ["version", *rules.HEALTH_FIELDS]
        extra_kwargs = {name: {"required": False} for name in rules.HEALTH_FIELDS}

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.validated_data.items() if k != "version"}


class WorkRowInputSerializer(serializers.Serializer):
    occupation = occupation_field()
    years = serializers.DecimalField(max_digits=3, decimal_places=1, min_value=0, max_value=60)
    country = serializers.CharField(required=False, allow_blank=True, max_length=max_length_of(WorkExperience, "country"),
                                    default="")
    description = serializers.CharField(required=False, allow_blank=True,
                                        max_length=max_length_of(WorkExperience, "description"), default="")


class WorkExperienceInputSerializer(AssessmentVersionSerializer):
    rows = WorkRowInputSerializer(many=True, max_length=50)


class WorkExperienceSerializer(serializers.ModelSerializer):
    occupation_name = serializers.CharField(source="occupation.name", read_only=True)
    ssyk2012 = serializers.CharField(source="occupation.ssyk2012", read_only=True)

    class Meta:
        model = WorkExperience
        fields = ["id", "occupation", "occupation_name", "ssyk2012", "years", "country", "description"]


# A plain string in the schema: an enum named "status" would collide with other apps' status enums.
ASSESSMENT_STATUS_HELP = "draft (utkast) | complete (slutförd, låst)"


class AssessmentSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=ASSESSMENT_STATUS_HELP)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    work_experience = WorkExperienceSerializer(many=True, read_only=True)
    goal_occupation_name = serializers.CharField(source="goal_occupation.name", default=None, read_only=True)
    health_visible = serializers.SerializerMethodField(
        help_text="Om du får läsa hälsoavsnittet (bara deltagarens egen coach): GET .../health/."
    )

    class Meta:
        model = Assessment
        fields = ["id", "participation", "number", "status", "status_display", "version", "previous", "completed_on",
                  *rules.ASSESSMENT_FIELDS, "goal_occupation_name", "work_experience", "health_visible"]

    def get_health_visible(self, assessment: Assessment) -> bool:
        user = self.context["user"]
        return rules.may_see_health(user_id=user.pk, coach_id=assessment.participation.coach_id)


class AssessmentSummarySerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=ASSESSMENT_STATUS_HELP)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "participation", "number", "status", "status_display", "version", "completed_on"]


class HealthSerializer(serializers.ModelSerializer):
    class Meta:
        model = HealthInformation
        fields = list(rules.HEALTH_FIELDS)


class OccupationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Occupation
        fields = ["id", "name", "ssyk2012"]


class OccupationFilterSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=100, help_text="En del av yrkets namn.")
