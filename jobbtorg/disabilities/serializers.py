"""API shapes of disability registrations. Input serializers only parse; rules are the services'."""

import datetime

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jobbtorg.core import api_fields
from jobbtorg.disabilities import rules
from jobbtorg.disabilities.models import DisabilityRegistration

MAX_ID = 2**63 - 1
MAX_VERSION = 2**31 - 1
DATE_ERRORS = {
    "invalid": "Skriv datumet som ÅÅÅÅ-MM-DD.",
    "required": "Ange underlagets datum.",
    "null": "Ange underlagets datum.",
}


class RegistrationSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()
    valid_until = serializers.SerializerMethodField()
    expired = serializers.SerializerMethodField()

    class Meta:
        model = DisabilityRegistration
        fields = ["id", "person", "code", "label", "sub_kind", "documented_on", "source", "source_note", "valid_until",
                  "expired", "version", "registered_by", "created_at", "updated_at"]  # fmt: skip

    def get_label(self, obj: DisabilityRegistration) -> str:
        return str(rules.CODES[obj.code].label) if obj.code in rules.CODES else obj.code

    @extend_schema_field({"type": "string", "format": "date", "nullable": True})
    def get_valid_until(self, obj: DisabilityRegistration) -> datetime.date | None:
        return rules.valid_until(obj.code, obj.sub_kind, obj.documented_on)

    def get_expired(self, obj: DisabilityRegistration) -> bool:
        return rules.is_expired(obj.code, obj.sub_kind, obj.documented_on, timezone.localdate())


class RegistrationInput(serializers.Serializer):
    person = serializers.IntegerField(min_value=1, max_value=MAX_ID, error_messages={"required": "Ange person (id)."})
    # Free text, so that a code not in the checklist reaches the service's Swedish refusal.
    code = serializers.CharField(max_length=10, error_messages={"required": "Ange kod.", "blank": "Ange kod."})
    sub_kind = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    documented_on = api_fields.DateField(error_messages=DATE_ERRORS)
    source = serializers.CharField(max_length=30, error_messages={"required": "Välj vilket slags underlag det är."})
    source_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ChangeInput(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, max_value=MAX_VERSION,
        error_messages={"required": "Ange vilken version av registreringen du ändrar (fältet version)."},
    )  # fmt: skip
    sub_kind = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    documented_on = api_fields.DateField(error_messages=DATE_ERRORS)
    source = serializers.CharField(max_length=30, error_messages={"required": "Välj vilket slags underlag det är."})
    source_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
