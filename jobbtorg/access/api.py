"""Substitutes and emergency access through the API (issue 8 item 6), kept small:

- GET  /api/v1/substitutions/      the user's own substitutions (a coach: where she is absent or
  stands in; a unit manager: her unit's), current, coming and recently ended;
- GET  /api/v1/emergency-access/   the coach's own emergency accesses;
- POST /api/v1/emergency-access/   {person, reason}: 201 with the expiry, 400 with Swedish field
  errors, 404 for a person outside the unit search (the same as one that does not exist).

Same services, rules and audit entries as the pages.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from jobbtorg.access import selectors, services
from jobbtorg.access.models import EmergencyAccess, Substitution
from jobbtorg.access.policy import may_request_emergency_access
from jobbtorg.access.rules import MAX_REASON_LENGTH
from jobbtorg.audit.services import Actor
from jobbtorg.core.api import Pagination, SafeJSONParser

EMERGENCY_REFUSED_MESSAGE = "Nödåtkomst kan bara begäras av coacher vid ett jobbtorg."


class SubstitutionSerializer(serializers.ModelSerializer):
    absent_coach = serializers.CharField(source="absent_coach.username")
    substitute = serializers.CharField(source="substitute.username")
    revoked = serializers.BooleanField(source="is_revoked")

    class Meta:
        model = Substitution
        fields = ["id", "absent_coach", "substitute", "valid_from", "valid_to", "revoked"]


class EmergencyAccessSerializer(serializers.ModelSerializer):
    signed = serializers.BooleanField(source="is_signed")

    class Meta:
        model = EmergencyAccess
        fields = ["id", "person", "reason", "granted_at", "expires_at", "signed"]


class EmergencyAccessInput(serializers.Serializer):
    person = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    reason = serializers.CharField(max_length=MAX_REASON_LENGTH, allow_blank=True)


class SubstitutionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "list": "access.read",
    }
    pagination_class = Pagination
    renderer_classes = [JSONRenderer]
    serializer_class = SubstitutionSerializer

    def get_queryset(self) -> QuerySet[Substitution]:
        return selectors.substitutions_for(self.request.user, timezone.localdate())

    @extend_schema(summary="Dina vikarier", tags=["åtkomst"])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


class EmergencyAccessViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    capability_refused_messages = {"create": EMERGENCY_REFUSED_MESSAGE}
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "list": "access.read",
        "create": "access.request_emergency_access",
    }
    pagination_class = Pagination
    renderer_classes = [JSONRenderer]
    parser_classes = [SafeJSONParser]
    serializer_class = EmergencyAccessSerializer

    def get_queryset(self) -> QuerySet[EmergencyAccess]:
        return selectors.own_emergency_accesses(self.request.user)

    @extend_schema(summary="Dina nödåtkomster", tags=["åtkomst"])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Begär nödåtkomst till en deltagare vid ditt jobbtorg (24 timmar, loggas och granskas)",
        request=EmergencyAccessInput,
        responses={
            201: EmergencyAccessSerializer,
            400: OpenApiResponse(description="Felaktiga uppgifter: fältfel på svenska."),
            403: OpenApiResponse(description="Din roll kan inte begära nödåtkomst."),
            404: OpenApiResponse(description="Personen finns inte vid ditt jobbtorg, eller har skyddade personuppgifter."),
        },
        tags=["åtkomst"],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not may_request_emergency_access(request.user):
            raise PermissionDenied(EMERGENCY_REFUSED_MESSAGE)
        data = EmergencyAccessInput(data=request.data)
        data.is_valid(raise_exception=True)
        access = services.grant_emergency_access(
            request.user,
            Actor.from_request(request),
            data.validated_data["person"],
            data.validated_data["reason"],
        )
        return Response(EmergencyAccessSerializer(access).data, status=status.HTTP_201_CREATED)


def register(router: BaseRouter) -> None:
    router.register("substitutions", SubstitutionViewSet, basename="substitution")
    router.register("emergency-access", EmergencyAccessViewSet, basename="emergency-access")
