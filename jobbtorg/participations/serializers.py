"""API representations of a participation and the inputs of its actions.

Input serializers only parse (types, lengths, id ranges so nothing out of range reaches
the database); every rule is participations.services', which answer in Swedish.
"""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jobbtorg.access.sections import Section
from jobbtorg.core import api_fields
from jobbtorg.deadlines.services import state as deadline_state
from jobbtorg.participations import rules
from jobbtorg.participations.models import (
    Appointment,
    ClosureReason,
    EmploymentExtent,
    EmploymentForm,
    FollowUpPoint,
    Interruption,
    InterruptionReason,
    Participation,
    PostClosureFollowUp,
    Status,
    StudyLevel,
    TransferTo,
    VisitStatus,
    WageSubsidy,
)

MAX_ID = 2**63 - 1
MAX_VERSION = 2**31 - 1


def id_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        help_text="Versionen du läste. Har någon annan ändrat deltagandet sedan dess blir svaret 409.",
        error_messages={"required": "Ange vilken version av deltagandet du ändrar (fältet version)."},
    )


def choice_field(choices: type[models.TextChoices], **kwargs: Any) -> serializers.ChoiceField:
    """A choice field documented by a pattern, not a named enum: several apps have fields named
    `status` or `reason` with different choice sets, and drf-spectacular's enum components
    would collide (a warning that fails `check --deploy`)."""
    values: list[str] = list(choices.values) + ([""] if kwargs.get("allow_blank") else [])
    schema = {
        "type": "string",
        "pattern": "^(" + "|".join(values) + ")$",
        "description": "En av: " + ", ".join(f"`{v}` ({label})" for v, label in choices.choices),
    }
    field_class = extend_schema_field(schema)(type(f"{choices.__name__}ChoiceField", (serializers.ChoiceField,), {}))
    return field_class(choices=choices.choices, **kwargs)


def _name(user: Any) -> str | None:
    return (user.get_full_name() or user.get_username()) if user else None


class StrictSerializer(serializers.Serializer):
    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["Skicka uppgifterna som ett JSON-objekt."]})
        return super().to_internal_value(data)


class AppointmentSerializer(serializers.ModelSerializer):
    kind = choice_field(Appointment.Kind, read_only=True)
    status = choice_field(VisitStatus, read_only=True)
    coach_name = serializers.SerializerMethodField()

    class Meta:
        model = Appointment
        fields = ["id", "kind", "starts_at", "place", "coach", "coach_name", "status", "cancel_reason", "version"]
        read_only_fields = fields

    def get_coach_name(self, obj: Appointment) -> str | None:
        return _name(obj.coach)


class InterruptionSerializer(serializers.ModelSerializer):
    reason = choice_field(InterruptionReason, read_only=True)

    class Meta:
        model = Interruption
        fields = ["id", "reason", "reason_text", "start_date", "end_date"]
        read_only_fields = fields


class FollowUpSerializer(serializers.ModelSerializer):
    point = choice_field(FollowUpPoint, read_only=True)

    class Meta:
        model = PostClosureFollowUp
        fields = ["id", "point", "due_on", "assistance_reduction_kr", "outcome_sustained", "note", "recorded_on", "version"]
        read_only_fields = fields


# The fields of each section of the person file that the participation carries; a role that
# does not see the section (access.sections, issue 8 item 7) gets none of them: the keys are
# left out, not nulled. Identity fields (unit, coach, status, dates) go to every role.
SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    Section.REFERRAL_BASIS: ("referral",),
    Section.ENROLMENT: (
        "coach_assigned_on", "af_registered", "af_registered_on", "informed_rights", "informed_duty",
        "informed_consequences", "information_signed_on", "information_complete", "job_guarantee_offer_on",
        "appointments", "interruptions", "deadlines",
    ),
    Section.CLOSURE: (
        "closure_reason", "employment_form", "employment_extent", "wage_subsidy", "employment_lasts_a_month",
        "study_level", "transfer_to", "closure_text", "counts_as_work_or_studies", "followups",
    ),
}  # fmt: skip


class ReferralBasisSerializer(serializers.Serializer):
    """The referral basis: who referred, target groups, the basis and the consent (DOMAIN §4.1)."""

    referred_on = serializers.DateField()
    district_name = serializers.CharField(source="district.name")
    referred_by_name = serializers.SerializerMethodField()
    target_groups = serializers.SerializerMethodField()
    basis = serializers.CharField()
    consent_given_on = serializers.DateField(allow_null=True)
    consent_scope = serializers.CharField()
    legal_ground = serializers.CharField()

    def get_referred_by_name(self, referral: Any) -> str | None:
        return _name(referral.referred_by)

    def get_target_groups(self, referral: Any) -> list[str]:
        return [g.name for g in referral.target_groups.all()]


class ParticipationSerializer(serializers.ModelSerializer):
    """One participation, with its checklist, clocks and outcome (read only).

    The API passes `sections` = access.sections.visible_sections(user) in the context: the
    fields of a section the user's role does not see are left out (SECTION_FIELDS). Only the
    schema generator builds it without (and so documents every field).
    """

    person = serializers.SerializerMethodField()
    status = choice_field(Status, read_only=True)
    closure_reason = choice_field(ClosureReason, read_only=True, allow_blank=True)
    employment_form = choice_field(EmploymentForm, read_only=True, allow_blank=True)
    employment_extent = choice_field(EmploymentExtent, read_only=True, allow_blank=True)
    wage_subsidy = choice_field(WageSubsidy, read_only=True, allow_blank=True)
    study_level = choice_field(StudyLevel, read_only=True, allow_blank=True)
    transfer_to = choice_field(TransferTo, read_only=True, allow_blank=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    home_district_name = serializers.CharField(source="home_district.name", read_only=True)
    coach_name = serializers.SerializerMethodField()
    information_complete = serializers.BooleanField(read_only=True)
    counts_as_work_or_studies = serializers.SerializerMethodField(
        help_text="Räknas som arbete eller studier i Koladas nyckeltal (bara avslutade)."
    )
    appointments = serializers.SerializerMethodField()
    interruptions = serializers.SerializerMethodField()
    followups = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    referral = serializers.SerializerMethodField(
        help_text="Anvisningen (bara i ett enskilt deltagande, och bara för roller som ser anvisningsgrunden)."
    )

    class Meta:
        model = Participation
        fields = [
            "id", "version", "person", "unit", "unit_name", "home_district", "home_district_name", "coach", "coach_name",
            "status", "referred_on", "arrived_on", "closed_on", "previous", "coach_assigned_on",
            "af_registered", "af_registered_on", "informed_rights", "informed_duty", "informed_consequences",
            "information_signed_on", "information_complete", "job_guarantee_offer_on",
            "closure_reason", "employment_form", "employment_extent", "wage_subsidy", "employment_lasts_a_month",
            "study_level", "transfer_to", "closure_text", "counts_as_work_or_studies",
            "appointments", "interruptions", "followups", "deadlines", "referral",
        ]  # fmt: skip
        read_only_fields = fields

    def _hidden(self) -> set[str]:
        if "sections" not in self.context:
            return set()  # the OpenAPI schema documents every field
        shown = self.context["sections"] or {}
        return {field for s, fields in SECTION_FIELDS.items() if not shown.get(s, False) for field in fields}

    def get_fields(self) -> dict[str, Any]:
        # Fields of a refused section are not even computed (their methods read the database).
        hidden = self._hidden()
        return {name: field for name, field in super().get_fields().items() if name not in hidden}

    @extend_schema_field(ReferralBasisSerializer(allow_null=True))
    def get_referral(self, p: Participation) -> dict[str, Any] | None:
        if not self._detail():
            return None
        try:
            referral = p.referral
        except ObjectDoesNotExist:
            return None
        return dict(ReferralBasisSerializer(referral).data)

    def get_person(self, p: Participation) -> dict[str, Any]:
        person = p.person
        return {"id": person.pk, "first_name": person.first_name, "last_name": person.last_name,
                "personnummer_display": person.personnummer_display, "is_protected": person.is_protected}  # fmt: skip

    def get_coach_name(self, p: Participation) -> str | None:
        return _name(p.coach)

    def get_counts_as_work_or_studies(self, p: Participation) -> bool | None:
        if not p.closure_reason:
            return None
        return rules.counts_as_work_or_studies(
            rules.Outcome(reason=p.closure_reason, wage_subsidy=p.wage_subsidy,
                          employment_lasts_a_month=p.employment_lasts_a_month, study_level=p.study_level)
        )  # fmt: skip

    def _detail(self) -> bool:
        return bool(self.context.get("detail"))

    def get_appointments(self, p: Participation) -> list[dict[str, Any]] | None:
        return AppointmentSerializer(p.appointments.select_related("coach").all(), many=True).data if self._detail() else None

    def get_interruptions(self, p: Participation) -> list[dict[str, Any]] | None:
        return InterruptionSerializer(p.interruptions.all(), many=True).data if self._detail() else None

    def get_followups(self, p: Participation) -> list[dict[str, Any]] | None:
        return FollowUpSerializer(p.followups.all(), many=True).data if self._detail() else None

    def get_deadlines(self, p: Participation) -> list[dict[str, Any]] | None:
        if not self._detail():
            return None
        today = self.context["today"]
        return [
            {
                "kind": d.kind,
                "label": d.label,
                "due_date": d.due_date,
                "paused_on": d.paused_on,
                "state": deadline_state(d, today),
            }
            for d in p.deadlines.filter(status="open").order_by("due_date")
        ]


class AssignCoachInput(StrictSerializer):
    version = version_field()
    coach = id_field(help_text="Coachens användar-id; bara coacher på deltagandets jobbtorg.")


class TakeInput(StrictSerializer):
    version = version_field()


class AppointmentInput(StrictSerializer):
    starts_at = api_fields.DateTimeField()
    place = serializers.CharField(max_length=200)
    coach = id_field()


class VisitRescheduleInput(StrictSerializer):
    version = version_field()
    starts_at = api_fields.DateTimeField()
    place = serializers.CharField(max_length=200)
    coach = id_field()


class VisitCancelInput(StrictSerializer):
    version = version_field()
    reason = serializers.CharField(max_length=500)


class VisitStepInput(StrictSerializer):
    version = version_field()


class ArrivalInput(StrictSerializer):
    version = version_field()
    arrived_on = api_fields.DateField()


class AFRegistrationInput(StrictSerializer):
    version = version_field()
    registered = serializers.BooleanField(allow_null=True)
    registered_on = api_fields.DateField(required=False, allow_null=True)


class InformationInput(StrictSerializer):
    version = version_field()
    informed_rights = serializers.BooleanField(default=False)
    informed_duty = serializers.BooleanField(default=False)
    informed_consequences = serializers.BooleanField(default=False)
    signed_on = api_fields.DateField()


class JobGuaranteeInput(StrictSerializer):
    version = version_field()
    offered_on = api_fields.DateField()
    text = serializers.CharField(max_length=1000, allow_blank=True)


class InterruptInput(StrictSerializer):
    version = version_field()
    start_date = api_fields.DateField()
    reason = choice_field(
        InterruptionReason,
        error_messages={"invalid_choice": "Välj en orsak: pregnancy, parental_leave, illness eller other."},
    )
    reason_text = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class RestartInput(StrictSerializer):
    version = version_field()
    end_date = api_fields.DateField()


def _choice(choices: type[models.TextChoices]) -> serializers.ChoiceField:
    return choice_field(choices, required=False, allow_blank=True, default="")


class CloseInput(StrictSerializer):
    version = version_field()
    closed_on = api_fields.DateField()
    reason = choice_field(
        ClosureReason,
        error_messages={"required": "Välj en avslutsorsak. Ett deltagande kan inte avslutas utan orsak.",
                        "invalid_choice": "Välj en avslutsorsak ur listan."},
    )  # fmt: skip
    employment_form = _choice(EmploymentForm)
    employment_extent = _choice(EmploymentExtent)
    wage_subsidy = _choice(WageSubsidy)
    employment_lasts_a_month = serializers.BooleanField(required=False, allow_null=True, default=None)
    study_level = _choice(StudyLevel)
    transfer_to = _choice(TransferTo)
    text = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def outcome(self) -> rules.Outcome:
        d = self.validated_data
        return rules.Outcome(
            reason=d["reason"], employment_form=d["employment_form"], employment_extent=d["employment_extent"],
            wage_subsidy=d["wage_subsidy"], employment_lasts_a_month=d["employment_lasts_a_month"],
            study_level=d["study_level"], transfer_to=d["transfer_to"], text=d["text"],
        )  # fmt: skip


class FollowUpInput(StrictSerializer):
    version = version_field()
    assistance_reduction_kr = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False, allow_null=True)
    outcome_sustained = serializers.BooleanField(allow_null=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
