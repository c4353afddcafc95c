"""Eligibility through the API, with the UI's services, rules, access and audit.

- /api/v1/qualification-rules/ — the rule versions; POST adds a version (system administrator).
- /api/v1/eligibility/ — POST {person, subsidy_type, on}: the evaluation with its reasons.
- /api/v1/eligibility-facts/{person}/ — GET and PUT the facts and labour-market history.

Answers: 400 with Swedish field errors, 403 when the role may not, 404 without a relation,
409 when someone saved since the `version` the client read.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from jobbtorg.audit.services import Actor
from jobbtorg.core.api import Pagination, SafeJSONParser
from jobbtorg.eligibility import serializers as s
from jobbtorg.eligibility import services as eligibility_services
from jobbtorg.eligibility.models import LabourMarketMonth, QualificationRule
from jobbtorg.people.models import Person

ID_PATTERN = r"[0-9]{1,18}"
ERRORS = {
    400: OpenApiResponse(description="Felaktiga uppgifter: fältfel på svenska."),
    403: OpenApiResponse(description="Din roll får inte göra det här."),
    404: OpenApiResponse(description="Personen finns inte, eller du har ingen relation till personen."),
    409: OpenApiResponse(description="Någon annan har ändrat uppgifterna sedan du läste dem."),
}
TAG = ["anställningsstöd"]


def _what(request: Request, group: str) -> str:
    return f"API {request.method} {request.path} · {group}"


class QualificationRuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    capability_refused_messages = {"create": "Bara systemförvaltaren lägger till regelversioner."}
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "list": "eligibility.read_rules",
        "retrieve": "eligibility.read_rules",
        "create": "eligibility.add_rule_version",
    }
    pagination_class = Pagination
    renderer_classes = [JSONRenderer]
    parser_classes = [SafeJSONParser]
    serializer_class = s.SubsidyRuleSerializer
    lookup_value_regex = ID_PATTERN
    queryset = QualificationRule.objects.order_by("subsidy_type", "valid_from", "version")

    @extend_schema(summary="Kvalificeringsregler (alla versioner)", tags=TAG)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="En regelversion", tags=TAG)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Lägg till en ny regelversion (systemförvaltare)",
        request=s.SubsidyRuleInput,
        responses={201: s.SubsidyRuleSerializer, **ERRORS},
        tags=TAG,
    )
    def create(self, request: Request) -> Response:
        v = s.SubsidyRuleInput(data=request.data)
        v.is_valid(raise_exception=True)
        rule = eligibility_services.add_rule_version(Actor.from_request(request), **v.validated_data)
        return Response(s.SubsidyRuleSerializer(rule).data, status=201)


class EligibilityViewSet(viewsets.GenericViewSet):
    required_capabilities = {"create": "eligibility.check_eligibility"}  # core.api_permissions.HasCapability
    renderer_classes = [JSONRenderer]
    parser_classes = [SafeJSONParser]
    serializer_class = s.SubsidyEvaluateInput
    queryset = Person.objects.none()

    @extend_schema(
        summary="Bedöm om en person uppfyller villkoren för ett stöd, med skäl",
        request=s.SubsidyEvaluateInput,
        responses={200: s.SubsidyEvaluationSerializer, **ERRORS},
        tags=TAG,
    )
    def create(self, request: Request) -> Response:
        v = s.SubsidyEvaluateInput(data=request.data)
        v.is_valid(raise_exception=True)
        d = v.validated_data
        try:
            result = eligibility_services.evaluate_for(
                request.user, Actor.from_request(request), d["person"], d["subsidy_type"], d.get("on")
            )
        except PermissionDenied as exc:
            raise DRFPermissionDenied(str(exc)) from exc
        return Response(s.SubsidyEvaluationSerializer(result).data)


class EligibilityFactsViewSet(viewsets.GenericViewSet):
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "retrieve": "eligibility.check_eligibility",
        "update": "eligibility.check_eligibility",
    }
    renderer_classes = [JSONRenderer]
    parser_classes = [SafeJSONParser]
    serializer_class = s.SubsidyFactsInput
    lookup_value_regex = ID_PATTERN
    queryset = Person.objects.none()  # persons are reached only through open_person (for OPTIONS and the schema)

    def _facts(self, person_id: int) -> dict[str, Any]:
        stored = eligibility_services.facts_of(Person.objects.get(pk=person_id))
        months = LabourMarketMonth.objects.filter(person_id=person_id).order_by("-month")
        return {
            "version": stored.version if stored.pk else None,
            **{
                n: getattr(stored, n)
                for n in (
                    "registered_at_af",
                    "establishment_programme",
                    "job_guarantee",
                    "newly_arrived",
                    "residence_permit_on",
                    "youth_guarantee_days",
                )
            },
            "months": [{"month": f"{m.month:%Y-%m}", "kind": m.kind} for m in months],
        }

    @extend_schema(
        summary="Uppgifter för kvalificering och arbetsmarknadshistorik", responses={200: s.SubsidyFactsInput, **ERRORS}, tags=TAG
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        what = _what(request, "kvalificeringsuppgifter")
        try:  # the role is checked before the read is logged: a 403 is a refused entry, not an allowed one
            person = eligibility_services.open_facts(request.user, Actor.from_request(request), int(pk), what)
        except PermissionDenied as exc:
            raise DRFPermissionDenied(str(exc)) from exc
        return Response(self._facts(person.pk))

    @extend_schema(
        summary="Spara uppgifter för kvalificering och månader i historiken (tom kind tar bort månaden)",
        request=s.SubsidyFactsInput,
        responses={200: s.SubsidyFactsInput, **ERRORS},
        tags=TAG,
    )
    def update(self, request: Request, pk: str) -> Response:
        v = s.SubsidyFactsInput(data=request.data)
        v.is_valid(raise_exception=True)
        d = v.validated_data
        actor = Actor.from_request(request)
        try:
            eligibility_services.save_facts(
                request.user,
                actor,
                int(pk),
                version=d.get("version"),
                registered_at_af=d["registered_at_af"],
                establishment_programme=d["establishment_programme"],
                job_guarantee=d["job_guarantee"],
                newly_arrived=d["newly_arrived"],
                residence_permit_on=d["residence_permit_on"],
                youth_guarantee_days=d["youth_guarantee_days"],
            )
            if d.get("months"):
                eligibility_services.save_history(
                    request.user, actor, int(pk), {m["month"]: m["kind"] or None for m in d["months"]}
                )
        except PermissionDenied as exc:
            raise DRFPermissionDenied(str(exc)) from exc
        return Response(self._facts(int(pk)))


def register(router) -> None:
    router.register("qualification-rules", QualificationRuleViewSet, basename="qualification-rule")
    router.register("eligibility", EligibilityViewSet, basename="eligibility")
    router.register("eligibility-facts", EligibilityFactsViewSet, basename="eligibility-facts")
