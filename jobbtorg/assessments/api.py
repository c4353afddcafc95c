"""Assessments through the API: the same services, rules and audit entries as the pages.

- GET   /api/v1/assessments/?participation=ID        versions of a participation's assessment (READ audited)
- POST  /api/v1/assessments/                         start (or continue) the draft: version 1, or a new version
                                                     copied from the last completed one; 201 new, 200 existing
- GET   /api/v1/assessments/{id}/                    one version, without health data
- PATCH /api/v1/assessments/{id}/                    edit a draft; `version` required (409 if stale)
- PUT   /api/v1/assessments/{id}/work-experience/    replace the work-experience rows
- GET   /api/v1/assessments/{id}/health/             health section: the participation's own coach only;
- PATCH /api/v1/assessments/{id}/health/             every read and change audited as the data group "hälsa"
- POST  /api/v1/assessments/{id}/complete/           complete (freeze) the version
- GET   /api/v1/occupations/?q=...                   Arbetsförmedlingen's occupations (no personal data)

Errors: bad input 400 with Swedish field errors; a refused step 403 with a Swedish message; no
relation to the person 404; stale version 409.
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from jobbtorg.assessments import selectors, serializers, services
from jobbtorg.assessments.models import Assessment, HealthInformation, Occupation
from jobbtorg.audit.services import Actor
from jobbtorg.core.api import Pagination

ID_PATTERN = r"[0-9]{1,18}"
ERROR_400 = OpenApiResponse(description="Felaktiga uppgifter: fältfel på svenska.")
ERROR_403 = OpenApiResponse(description="Steget är inte tillåtet för dig (t.ex. hälsoavsnittet för någon annan än egen coach).")
ERROR_404 = OpenApiResponse(description="Kartläggningen finns inte, eller du har ingen relation till personen.")
ERROR_409 = OpenApiResponse(description="Någon annan har ändrat kartläggningen sedan du läste den.")
TAGS = ["kartläggningar"]


def _via(request: Request) -> str:
    return f"API {request.method} {request.path}"


@extend_schema_view(
    list=extend_schema(summary="Versioner av en deltagares kartläggning",
                       parameters=[serializers.AssessmentParticipationFilterSerializer],
                       responses={200: serializers.AssessmentSummarySerializer(many=True), 400: ERROR_400, 404: ERROR_404},
                       tags=TAGS),
    retrieve=extend_schema(summary="En version av kartläggningen (utan hälsoavsnittet)",
                           responses={200: serializers.AssessmentSerializer, 404: ERROR_404}, tags=TAGS),
    create=extend_schema(summary="Påbörja kartläggning eller ny version", request=serializers.AssessmentStartSerializer,
                         responses={201: serializers.AssessmentSerializer, 200: serializers.AssessmentSerializer, 400: ERROR_400,
                                    403: ERROR_403, 404: ERROR_404}, tags=TAGS),
    partial_update=extend_schema(summary="Ändra ett utkast", request=serializers.AssessmentUpdateSerializer,
                                 responses={200: serializers.AssessmentSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404,
                                            409: ERROR_409}, tags=TAGS),
)
class AssessmentViewSet(viewsets.GenericViewSet):
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "list": "assessments.read",
        "retrieve": "assessments.read",
        "create": "assessments.edit",
        "partial_update": "assessments.edit",
        "work_experience": "assessments.edit",
        "health": "assessments.read",
        "complete": "assessments.edit",
    }
    lookup_value_regex = ID_PATTERN
    renderer_classes = [JSONRenderer]
    serializer_class = serializers.AssessmentSerializer
    pagination_class = Pagination
    queryset = Assessment.objects.none()
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def handle_exception(self, exc: Exception) -> Response:
        if getattr(exc, "http_status", None) == status.HTTP_403_FORBIDDEN:
            exc = PermissionDenied(getattr(exc, "messages", [str(exc)])[0])
        return super().handle_exception(exc)

    def _represent(self, request: Request, assessment_id: int, code: int = status.HTTP_200_OK) -> Response:
        # Re-read after a change (the change itself is audited by the service).
        assessment = selectors.with_rows(Assessment.objects.filter(pk=assessment_id)).get()
        return Response(serializers.AssessmentSerializer(assessment, context={"user": request.user}).data, status=code)

    def list(self, request: Request) -> Response:
        params = serializers.AssessmentParticipationFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        participation = selectors.open_participation(request.user, Actor.from_request(request),
                                                     params.validated_data["participation"], via=_via(request))
        page = self.paginate_queryset(Assessment.objects.filter(participation=participation).order_by("-number"))
        return self.get_paginated_response(serializers.AssessmentSummarySerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        assessment = selectors.open_assessment(request.user, Actor.from_request(request), int(pk), via=_via(request))
        return Response(serializers.AssessmentSerializer(assessment, context={"user": request.user}).data)

    def create(self, request: Request) -> Response:
        data = serializers.AssessmentStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        draft, created = services.start_draft(request.user, Actor.from_request(request), data.validated_data["participation"],
                                              via=_via(request))
        return self._represent(request, draft.pk, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def partial_update(self, request: Request, pk: str) -> Response:
        data = serializers.AssessmentUpdateSerializer(data=request.data, partial=False)
        data.is_valid(raise_exception=True)
        services.update_assessment(request.user, Actor.from_request(request), int(pk), data.validated_data["version"],
                                   data.values(), via=_via(request))
        return self._represent(request, int(pk))

    @extend_schema(summary="Ersätt raderna om arbetslivserfarenhet", request=serializers.WorkExperienceInputSerializer,
                   responses={200: serializers.AssessmentSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404,
                              409: ERROR_409}, tags=TAGS)
    @action(detail=True, methods=["put"], url_path="work-experience", url_name="work-experience")
    def work_experience(self, request: Request, pk: str) -> Response:
        data = serializers.WorkExperienceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.replace_work_experience(request.user, Actor.from_request(request), int(pk), data.validated_data["version"],
                                         [dict(r) for r in data.validated_data["rows"]], via=_via(request))
        return self._represent(request, int(pk))

    @extend_schema(methods=["GET"], summary="Hälsoavsnittet (bara deltagarens egen coach)",
                   responses={200: serializers.HealthSerializer, 403: ERROR_403, 404: ERROR_404}, tags=TAGS)
    @extend_schema(methods=["PATCH"], summary="Ändra hälsoavsnittet (bara deltagarens egen coach)",
                   request=serializers.HealthUpdateSerializer,
                   responses={200: serializers.HealthSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404,
                              409: ERROR_409}, tags=TAGS)
    @action(detail=True, methods=["get", "patch"])
    def health(self, request: Request, pk: str) -> Response:
        actor = Actor.from_request(request)
        if request.method == "PATCH":
            data = serializers.HealthUpdateSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            health = services.update_health(request.user, actor, int(pk), data.validated_data["version"], data.values(),
                                            via=_via(request))
            return Response(serializers.HealthSerializer(health).data)
        assessment = selectors.open_assessment(request.user, actor, int(pk), via=_via(request))
        stored = selectors.read_health(request.user, actor, assessment, via=_via(request))
        return Response(serializers.HealthSerializer(stored or HealthInformation()).data)

    @extend_schema(summary="Slutför (lås) versionen", request=serializers.AssessmentVersionSerializer,
                   responses={200: serializers.AssessmentSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404,
                              409: ERROR_409}, tags=TAGS)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        data = serializers.AssessmentVersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.complete_assessment(request.user, Actor.from_request(request), int(pk), data.validated_data["version"],
                                     today=timezone.localdate(), via=_via(request))
        return self._represent(request, int(pk))


@extend_schema_view(
    list=extend_schema(summary="Sök yrken i Arbetsförmedlingens yrkeslista", parameters=[serializers.OccupationFilterSerializer],
                       responses={200: serializers.OccupationSerializer(many=True), 400: ERROR_400}, tags=TAGS),
    retrieve=extend_schema(summary="Ett yrke", responses={200: serializers.OccupationSerializer}, tags=TAGS),
)
class OccupationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "list": "assessments.occupations",
        "retrieve": "assessments.occupations",
    }
    lookup_value_regex = r"[0-9]{1,9}"
    renderer_classes = [JSONRenderer]
    serializer_class = serializers.OccupationSerializer
    queryset = Occupation.objects.all()
    pagination_class = None

    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        params = serializers.OccupationFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        matches = selectors.search_occupations(params.validated_data["q"], limit=50)
        return Response(serializers.OccupationSerializer(matches, many=True).data)
