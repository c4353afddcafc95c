"""Activity plans through the API: the same services, rules and audit entries as the pages.

- GET    /api/v1/plans/?participation=ID      versions of a participation's plan (READ audited)
- POST   /api/v1/plans/                       draw up the first plan (draft)
- GET    /api/v1/plans/{id}/                  one version with activities and decision history
- PATCH  /api/v1/plans/{id}/                  edit a draft/returned plan; `version` required (409 if stale)
- POST   /api/v1/plans/{id}/submit/           send to the home district
- POST   /api/v1/plans/{id}/approve/          the home district approves
- POST   /api/v1/plans/{id}/return/           the home district returns it; `comment` required
- POST   /api/v1/plans/{id}/reject/           the home district rejects, with a reason
- POST   /api/v1/plans/{id}/revise/           new draft version of an approved plan
- GET    /api/v1/plans/queue/                 the own district's plans waiting for approval, oldest first

Errors: bad input 400 with Swedish field errors; a refused step (wrong side, another district)
403 with a Swedish message; no relation to the person 404; stale version 409.
"""

from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from jobbtorg.access.services import log_listed
from jobbtorg.audit.services import Actor
from jobbtorg.core.api import Pagination
from jobbtorg.plans import selectors, serializers, services
from jobbtorg.plans.models import ActivityPlan

QUEUE_REFUSED = _("Listan är till för socialsekreterare i stadsdelen, som godkänner aktivitetsplaner.")

ID_PATTERN = r"[0-9]{1,18}"
ERROR_400 = OpenApiResponse(description="Felaktiga uppgifter: fältfel på svenska.")
ERROR_403 = OpenApiResponse(description="Steget är inte tillåtet för dig (t.ex. en annan stadsdel än deltagarens).")
ERROR_404 = OpenApiResponse(description="Planen finns inte, eller du har ingen relation till personen.")
ERROR_409 = OpenApiResponse(description="Någon annan har ändrat planen sedan du läste den.")
TAGS = ["aktivitetsplaner"]


def _via(request: Request) -> str:
    return f"API {request.method} {request.path}"


@extend_schema_view(
    list=extend_schema(summary="Versioner av en deltagares aktivitetsplan",
                       parameters=[serializers.PlanParticipationFilterSerializer],
                       responses={200: serializers.PlanSummarySerializer(many=True), 400: ERROR_400, 404: ERROR_404}, tags=TAGS),
    retrieve=extend_schema(summary="En version av aktivitetsplanen", responses={200: serializers.PlanSerializer, 404: ERROR_404},
                           tags=TAGS),
    create=extend_schema(summary="Upprätta aktivitetsplan", request=serializers.PlanCreateSerializer,
                         responses={201: serializers.PlanSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404}, tags=TAGS),
    partial_update=extend_schema(summary="Ändra ett utkast", request=serializers.PlanUpdateSerializer,
                                 responses={200: serializers.PlanSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404,
                                            409: ERROR_409}, tags=TAGS),
)
class PlanViewSet(viewsets.GenericViewSet):
    capability_refused_messages = {"queue": QUEUE_REFUSED}
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "list": "plans.read",
        "retrieve": "plans.read",
        "create": "plans.edit",
        "partial_update": "plans.edit",
        "submit": "plans.edit",
        "approve": "plans.read",  # plans.decide is asked per plan, so the refusal names the person
        "return_plan": "plans.read",
        "reject": "plans.read",
        "revise": "plans.edit",
        "queue": "plans.decide",
    }
    lookup_value_regex = ID_PATTERN
    renderer_classes = [JSONRenderer]
    serializer_class = serializers.PlanSerializer
    pagination_class = Pagination
    queryset = ActivityPlan.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def handle_exception(self, exc: Exception) -> Response:
        if getattr(exc, "http_status", None) == status.HTTP_403_FORBIDDEN:
            exc = PermissionDenied(getattr(exc, "messages", [str(exc)])[0])
        return super().handle_exception(exc)

    def _decide(self, request: Request, pk: str, decide: Any) -> Response:
        """A district decision (approve, return, reject): version and comment in, the plan out."""
        data = serializers.DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decide(request.user, Actor.from_request(request), int(pk), data.validated_data["version"],
               data.validated_data["comment"], via=_via(request))
        return self._represent(int(pk), request)

    def _represent(self, plan_id: int, request: Request, code: int = status.HTTP_200_OK) -> Response:
        # Re-read with activities and decisions; the change itself was audited by the service.
        plan = selectors.plan_details_qs().get(pk=plan_id)
        data = serializers.PlanSerializer(plan, context={"today": timezone.localdate()}).data
        return Response(data, status=code)

    def list(self, request: Request) -> Response:
        params = serializers.PlanParticipationFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        participation = selectors.open_participation(request.user, Actor.from_request(request),
                                                     params.validated_data["participation"], via=_via(request))
        qs = (ActivityPlan.objects.filter(participation=participation)
              .annotate(activity_count=Count("activities")).order_by("-number"))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(serializers.PlanSummarySerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        plan = selectors.open_plan(request.user, Actor.from_request(request), int(pk), via=_via(request))
        return Response(serializers.PlanSerializer(plan, context={"today": timezone.localdate()}).data)

    def create(self, request: Request) -> Response:
        data = serializers.PlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = services.create_plan(request.user, Actor.from_request(request), data.validated_data["participation"],
                                    data.plan_values(), data.activity_rows(), via=_via(request))
        return self._represent(plan.pk, request, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        data = serializers.PlanUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.update_plan(request.user, Actor.from_request(request), int(pk), data.validated_data["version"],
                             data.plan_values(), data.activity_rows(), via=_via(request))
        return self._represent(int(pk), request)

    @extend_schema(summary="Skicka planen till hemstadsdelen", request=serializers.PlanVersionSerializer,
                   responses={200: serializers.PlanSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409},
                   tags=TAGS)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        data = serializers.PlanVersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.submit_plan(request.user, Actor.from_request(request), int(pk), data.validated_data["version"],
                             via=_via(request))
        return self._represent(int(pk), request)

    @extend_schema(summary="Godkänn planen (hemstadsdelen)", request=serializers.DecisionInputSerializer,
                   responses={200: serializers.PlanSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409},
                   tags=TAGS)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._decide(request, pk, services.approve_plan)

    @extend_schema(summary="Skicka tillbaka planen med kommentar (hemstadsdelen)", request=serializers.DecisionInputSerializer,
                   responses={200: serializers.PlanSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409},
                   tags=TAGS)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_plan(self, request: Request, pk: str) -> Response:
        return self._decide(request, pk, services.return_plan)

    @extend_schema(summary="Avslå planen med skäl (hemstadsdelen); coachen gör en ny plan",
                   request=serializers.DecisionInputSerializer,
                   responses={200: serializers.PlanSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409},
                   tags=TAGS)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        return self._decide(request, pk, services.reject_plan)

    @extend_schema(summary="Ny version av en godkänd plan", request=None,
                   responses={201: serializers.PlanSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404}, tags=TAGS)
    @action(detail=True, methods=["post"])
    def revise(self, request: Request, pk: str) -> Response:
        draft = services.revise_plan(request.user, Actor.from_request(request), int(pk), via=_via(request))
        return self._represent(draft.pk, request, status.HTTP_201_CREATED)

    @extend_schema(summary="Planer som väntar på min stadsdels godkännande",
                   responses={200: serializers.QueueRowSerializer(many=True), 403: ERROR_403}, tags=TAGS)
    @action(detail=False, methods=["get"])
    def queue(self, request: Request) -> Response:
        user = request.user
        if not getattr(user, "district_id", None):
            raise PermissionDenied(QUEUE_REFUSED)
        page = self.paginate_queryset(selectors.approval_queue_qs(user.district_id, viewer=user))
        rows = selectors.queue_rows(page or [], timezone.localdate())
        log_listed(Actor.from_request(request), f"{_via(request)} · {services.GROUP}", [r.person for r in rows])
        return self.get_paginated_response(serializers.QueueRowSerializer(rows, many=True).data)
