"""API representations of referrals and target groups, and the referral input.

The input serializer parses (types, lengths, id ranges); referrals.services holds
every rule and answers in Swedish, exactly as for the form and the CSV import.
"""

from typing import Any

from rest_framework import serializers

from jobbtorg.core import api_fields
from jobbtorg.core.validators import validate_person_name
from jobbtorg.participations.models import Status
from jobbtorg.participations.serializers import MAX_ID, StrictSerializer, choice_field, id_field
from jobbtorg.referrals.models import Referral, TargetGroup
from jobbtorg.referrals.services import ReferralInput


class TargetGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = TargetGroup
        fields = ["id", "code", "name", "description", "needs_conditions", "is_job_guarantee", "needs_consent"]
        read_only_fields = fields


class ReferralSerializer(serializers.ModelSerializer):
    person = serializers.SerializerMethodField()
    unit = serializers.IntegerField(source="participation.unit_id", read_only=True)
    unit_name = serializers.CharField(source="participation.unit.name", read_only=True)
    derived_unit_name = serializers.CharField(source="derived_unit.name", read_only=True)
    status = choice_field(Status, source="participation.status", read_only=True)
    source = choice_field(Referral.Source, read_only=True)
    state = choice_field(Referral.State, read_only=True)
    target_groups = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    referred_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id", "participation", "person", "district", "referred_by", "referred_by_name", "referred_on",
            "target_groups", "basis", "consent_given_on", "consent_scope", "legal_ground",
            "other_need_assessed", "other_af_no_measure", "other_assistance_decision",
            "unit", "unit_name", "derived_unit", "derived_unit_name", "unit_reason", "source", "state",
            "returned_on", "return_reason", "status",
        ]  # fmt: skip
        read_only_fields = fields

    def get_person(self, r: Referral) -> dict[str, Any]:
        person = r.participation.person
        return {"id": person.pk, "first_name": person.first_name, "last_name": person.last_name,
                "personnummer_display": person.personnummer_display}  # fmt: skip

    def get_referred_by_name(self, r: Referral) -> str:
        return r.referred_by.get_full_name() or r.referred_by.get_username()


class ReferralCreateSerializer(StrictSerializer):
    personnummer = serializers.CharField(max_length=20, help_text="Personnummer eller samordningsnummer.")
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                       validators=[validate_person_name],
                                       help_text="Behövs bara för en person som inte finns i registret.")  # fmt: skip
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                      validators=[validate_person_name])  # fmt: skip
    home_district = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None,
                                             help_text="Måste vara din stadsdel om den anges.")  # fmt: skip
    target_groups = serializers.ListField(child=serializers.CharField(max_length=40), max_length=20,
                                          help_text="Målgruppernas koder (se /api/v1/target-groups/).")  # fmt: skip
    other_need_assessed = serializers.BooleanField(default=False)
    other_af_no_measure = serializers.BooleanField(default=False)
    other_assistance_decision = serializers.BooleanField(default=False)
    basis = serializers.CharField(max_length=4000, allow_blank=True)
    consent_given_on = api_fields.DateField(required=False, allow_null=True, default=None)
    consent_scope = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    legal_ground = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    referred_on = api_fields.DateField()
    unit = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None,
                                    help_text="Ett annat (specialiserat) jobbtorg; kräver unit_reason.")  # fmt: skip
    unit_reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    appointment_at = api_fields.DateTimeField(required=False, allow_null=True, default=None)
    appointment_place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    appointment_coach = id_field(required=False, allow_null=True, default=None)

    def referral_input(self) -> ReferralInput:
        d = self.validated_data
        return ReferralInput(
            personnummer=d["personnummer"], first_name=d["first_name"], last_name=d["last_name"],
            target_groups=d["target_groups"], basis=d["basis"], consent_given_on=d["consent_given_on"],
            consent_scope=d["consent_scope"], legal_ground=d["legal_ground"], referred_on=d["referred_on"],
            other_need_assessed=d["other_need_assessed"], other_af_no_measure=d["other_af_no_measure"],
            other_assistance_decision=d["other_assistance_decision"], home_district_id=d["home_district"],
            unit_id=d["unit"], unit_reason=d["unit_reason"], appointment_at=d["appointment_at"],
            appointment_place=d["appointment_place"], appointment_coach_id=d["appointment_coach"],
        )  # fmt: skip


class ReturnInput(StrictSerializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True)


class ResubmitInput(StrictSerializer):
    basis = serializers.CharField(max_length=4000, allow_blank=True)
    consent_given_on = api_fields.DateField(required=False, allow_null=True, default=None)
    consent_scope = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    legal_ground = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    # Corrections before resending; left out, they stay as they are.
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    target_groups = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=20)


class WithdrawInput(StrictSerializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True)


class ImportResultSerializer(serializers.Serializer):
    """An import job's state (202 queued/running, 201 done, 400 failed with `errors`)."""

    job = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["queued", "running", "done", "failed"])
    url = serializers.URLField()
    rows_total = serializers.IntegerField()
    rows_checked = serializers.IntegerField()
    rows_saved = serializers.IntegerField()
    created = serializers.IntegerField(required=False)
    referrals = serializers.ListField(child=serializers.IntegerField(), required=False)
    participations = serializers.ListField(child=serializers.IntegerField(), required=False)
    errors = serializers.ListField(child=serializers.CharField(), required=False)
