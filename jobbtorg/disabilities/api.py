"""Disability registrations through the API (/api/v1/disability-registrations/).

Same services, rules, health relation and audit as the page. 400 with Swedish field
errors, 403 when the user reaches the person but has no health relation, 404 without a
relation at all, 409 on a stale `version`.
"""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from jobbtorg.audit.services import Actor
from jobbtorg.core.api import SafeJSONParser
from jobbtorg.core.errors import AccessDenied
from jobbtorg.disabilities import selectors, services
from jobbtorg.disabilities import serializers as s
from jobbtorg.disabilities.models import DisabilityRegistration

ERRORS = {
    400: OpenApiResponse(description="Felaktiga uppgifter: fältfel på svenska."),
    403: OpenApiResponse(description="Du har ingen behörighet till hälsouppgifter om personen."),
    404: OpenApiResponse(description="Finns inte, eller du har ingen relation till personen."),
    409: OpenApiResponse(description="Någon annan har ändrat registreringen sedan du läste den."),
}
TAGS = ["funktionsnedsättning"]


def _where(request: Request) -> str:
    return f"API {request.method} {request.path}"


class DisabilityRegistrationViewSet(viewsets.ViewSet):
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "list": "people.reach",
        "retrieve": "people.reach",
        "create": "people.reach",
        "update": "people.reach",
        "partial_update": "people.reach",
    }
    serializer_class = s.RegistrationSerializer  # for the schema; each action documents its own shapes
    renderer_classes = [JSONRenderer]
    parser_classes = [SafeJSONParser]
    lookup_value_regex = r"[0-9]{1,18}"

    @extend_schema(summary="En persons registrerade funktionsnedsättningar", tags=TAGS,
                   parameters=[OpenApiParameter("person", int, required=True, description="Personens id")],
                   responses={200: s.RegistrationSerializer(many=True), **ERRORS})  # fmt: skip
    def list(self, request: Request) -> Response:
        raw = request.query_params.get("person", "")
        if not raw.isdigit() or len(raw) > 18:
            raise ValidationError({"person": ["Ange personens id (?person=)."]})
        _person, rows = selectors.registrations_for(request.user, Actor.from_request(request), int(raw), _where(request))
        return Response(s.RegistrationSerializer(rows, many=True).data)

    @extend_schema(summary="Registrera funktionsnedsättning", tags=TAGS, request=s.RegistrationInput,
                   responses={201: s.RegistrationSerializer, **ERRORS})  # fmt: skip
    def create(self, request: Request) -> Response:
        data = s.RegistrationInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        reg = services.register(request.user, Actor.from_request(request), v["person"], code=v["code"],
                                sub_kind=v["sub_kind"], documented_on=v["documented_on"], source=v["source"],
                                source_note=v["source_note"])  # fmt: skip
        return Response(s.RegistrationSerializer(reg).data, status=status.HTTP_201_CREATED)

    def _load(self, pk: str) -> DisabilityRegistration:
        reg = DisabilityRegistration.objects.filter(pk=int(pk)).first()
        if reg is None:
            raise AccessDenied()
        return reg

    @extend_schema(summary="En registrering", tags=TAGS, responses={200: s.RegistrationSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: str) -> Response:
        reg = self._load(pk)
        services.open_for_health(request.user, Actor.from_request(request), reg.person_id, _where(request))
        return Response(s.RegistrationSerializer(reg).data)

    @extend_schema(summary="Nytt underlag för en registrerad kod", tags=TAGS, request=s.ChangeInput,
                   responses={200: s.RegistrationSerializer, **ERRORS})  # fmt: skip
    def partial_update(self, request: Request, pk: str) -> Response:
        reg = self._load(pk)
        data = s.ChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        reg = services.change(request.user, Actor.from_request(request), reg.pk, version=v["version"],
                              sub_kind=v["sub_kind"], documented_on=v["documented_on"], source=v["source"],
                              source_note=v["source_note"])  # fmt: skip
        return Response(s.RegistrationSerializer(reg).data)

    def update(self, request: Request, pk: str, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, pk)


def register(router: Any) -> None:
    router.register("disability-registrations", DisabilityRegistrationViewSet, basename="disability-registration")
