"""API shapes of activity plans. Input serializers parse types only; the rules are in plans.services."""

from typing import Any

from rest_framework import serializers

from jobbtorg.activities.models import CatalogueItem
from jobbtorg.core import api_fields
from jobbtorg.plans import rules
from jobbtorg.plans.models import ActivityPlan, PlanDecision, PlannedActivity

MAX_ID = 2**63 - 1
MAX_VERSION = 2**31 - 1


class PlanVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=MAX_VERSION,
                                       help_text="Radens version från din senaste läsning (optimistisk låsning).")


class PlannedActivityInputSerializer(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True, max_length=200)
    catalogue_item = serializers.PrimaryKeyRelatedField(
        queryset=CatalogueItem.objects.filter(active=True), required=False, allow_null=True,
        pk_field=serializers.IntegerField(min_value=1, max_value=MAX_ID),
    )
    start_date = api_fields.DateField()
    end_date = api_fields.DateField()


class PlanFieldsSerializer(serializers.Serializer):
    goal = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    start_date = api_fields.DateField(required=False)
    review_date = api_fields.DateField(required=False)
    long_plan_reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    activities = PlannedActivityInputSerializer(many=True, required=False, max_length=100,
                                                help_text="Ersätter alla planerade aktiviteter när den skickas med.")

    def plan_values(self) -> dict[str, Any]:
        return {k: v for k, v in self.validated_data.items() if k in ("goal", "start_date", "review_date", "long_plan_reason")}

    def activity_rows(self) -> list[dict[str, Any]] | None:
        rows = self.validated_data.get("activities")
        return None if rows is None else [dict(r) for r in rows]


class PlanCreateSerializer(PlanFieldsSerializer):
    participation = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class PlanUpdateSerializer(PlanFieldsSerializer, PlanVersionSerializer):
    pass


class DecisionInputSerializer(PlanVersionSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class PlanParticipationFilterSerializer(serializers.Serializer):
    participation = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class PlannedActivitySerializer(serializers.ModelSerializer):
    catalogue_item_name = serializers.CharField(source="catalogue_item.name", default=None, read_only=True)

    class Meta:
        model = PlannedActivity
        fields = ["id", "description", "catalogue_item", "catalogue_item_name", "start_date", "end_date"]


class PlanDecisionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="submitted (skickad) | approved (godkänd) | returned (återsänd)")
    district = serializers.CharField(source="district.name", default=None, read_only=True)

    class Meta:
        model = PlanDecision
        fields = ["kind", "on", "by_name", "district", "comment", "waiting_days"]


# Plain strings in the schema: an enum named "status" would collide with other apps' status enums.
PLAN_STATUS_HELP = (
    "draft (utkast) | submitted (väntar på godkännande) | approved (godkänd) | returned (återsänd) | superseded (ersatt)"
)


class PlanSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=PLAN_STATUS_HELP)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    activities = PlannedActivitySerializer(many=True, read_only=True)
    decisions = PlanDecisionSerializer(many=True, read_only=True)
    waiting_days = serializers.SerializerMethodField(help_text="Arbetsdagar sedan planen skickades, medan den väntar.")

    class Meta:
        model = ActivityPlan
        fields = [
            "id", "participation", "number", "status", "status_display", "version", "previous", "goal", "start_date",
            "review_date", "long_plan_reason", "submitted_on", "decided_on", "decision_comment", "waiting_days",
            "activities", "decisions",
        ]

    def get_waiting_days(self, plan: ActivityPlan) -> int | None:
        if plan.status != "submitted":
            return None
        return rules.waiting_days(plan.submitted_on, self.context["today"])


class PlanSummarySerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=PLAN_STATUS_HELP)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    activity_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ActivityPlan
        fields = ["id", "participation", "number", "status", "status_display", "version", "start_date", "review_date",
                  "submitted_on", "decided_on", "activity_count"]


class QueueRowSerializer(serializers.Serializer):
    plan = serializers.IntegerField(source="plan.pk")
    number = serializers.IntegerField(source="plan.number")
    version = serializers.IntegerField(source="plan.version")
    participation = serializers.IntegerField(source="plan.participation_id")
    person = serializers.IntegerField(source="plan.participation.person_id")
    name = serializers.SerializerMethodField()
    personnummer = serializers.CharField(source="plan.participation.person.personnummer_display")
    submitted_on = api_fields.DateField(source="plan.submitted_on")
    waiting_days = serializers.IntegerField()
    due = api_fields.DateField()
    overdue = serializers.BooleanField()

    def get_name(self, row: Any) -> str:
        person = row.plan.participation.person
        return f"{person.first_name} {person.last_name}"
