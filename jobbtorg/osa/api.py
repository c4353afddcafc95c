"""OSA through the API: /api/v1/osa-cases/ (with periods, reviews, plan, meetings, transfer,
transition) and /api/v1/osa-annual-places/, with the UI's services, rules, relation and audit.

400 with Swedish field errors, 403 for a role that may not do it, 404 without the OSA
relation (same as a case that does not exist), 409 on a stale `version`.
"""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from jobbtorg.access.services import log_listed
from jobbtorg.audit.services import Actor
from jobbtorg.core.api import Pagination, SafeJSONParser
from jobbtorg.osa import selectors, services
from jobbtorg.osa import serializers as s
from jobbtorg.osa.models import OsaCase

ERRORS = {
    400: OpenApiResponse(description="Felaktiga uppgifter: fältfel på svenska."),
    403: OpenApiResponse(description="Din roll får inte göra detta."),
    404: OpenApiResponse(description="Finns inte, eller din stadsdel är inte ansvarig för OSA-anställningen."),
    409: OpenApiResponse(description="Någon annan har ändrat sedan du läste."),
}
TAGS = ["OSA"]


def _where(request: Request) -> str:
    return f"API {request.method} {request.path}"


class OsaCaseViewSet(viewsets.ViewSet):
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "list": "osa.read",
        "retrieve": "osa.read",
        "create": "osa.manage",
        "periods": "osa.manage",
        "reviews": "osa.manage",
        "meetings": "osa.manage",
        "transition": "osa.manage",
        "transfer": "osa.manage",
        "plan": "osa.manage",
        "end": "osa.manage",
    }
    renderer_classes = [JSONRenderer]
    parser_classes = [SafeJSONParser]
    lookup_value_regex = r"[0-9]{1,18}"

    def _case(self, request: Request, pk: str, action_name: str = "read") -> OsaCase:
        return services.open_case(request.user, Actor.from_request(request), int(pk), _where(request))

    def _represent(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        case = OsaCase.objects.prefetch_related("periods", "reviews", "meetings", "transfers").get(pk=pk)
        return Response(s.CaseSerializer(case).data, status=code)

    @extend_schema(summary="Dina OSA-anställningar, försenade uppföljningar först", tags=TAGS,
                   responses={200: s.CaseListSerializer(many=True)})  # fmt: skip
    def list(self, request: Request) -> Response:
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.officer_cases(request.user), request, view=self)
        rows = list(page or [])
        log_listed(Actor.from_request(request), f"{_where(request)} · {services.DATA_GROUP}", [c.person for c in rows])
        return paginator.get_paginated_response(s.CaseListSerializer(rows, many=True).data)

    @extend_schema(summary="Registrera OSA-anställning med första perioden", tags=TAGS, request=s.CaseInput,
                   responses={201: s.CaseSerializer, **ERRORS})  # fmt: skip
    def create(self, request: Request) -> Response:
        data = s.CaseInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        case = services.create_case(
            request.user, Actor.from_request(request), v["person"], employer_id=v["employer"], workplace=v["workplace"],
            grounds=v["grounds"], assessed_on=v["assessed_on"], assessed_by_district=v["assessed_by_district"],
            assessed_by_af=v["assessed_by_af"], af_unit_id=v["af_unit"], assessment_outcome=v["assessment_outcome"],
            assessment_note=v["assessment_note"], start_date=v["start_date"], months=v["months"],
            length_reason=v["length_reason"],
        )  # fmt: skip
        return self._represent(case.pk, status.HTTP_201_CREATED)

    @extend_schema(summary="En OSA-anställning", tags=TAGS, responses={200: s.CaseSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: str) -> Response:
        case = self._case(request, pk)
        return self._represent(case.pk)

    @extend_schema(summary="Förläng (6 eller 12 månader)", tags=TAGS, request=s.ExtensionInput,
                   responses={201: s.CaseSerializer, **ERRORS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def periods(self, request: Request, pk: str) -> Response:
        v = self._input(s.ExtensionInput, request)
        services.extend(request.user, Actor.from_request(request), int(pk), version=v["version"], months=v["months"])
        return self._represent(int(pk), status.HTTP_201_CREATED)

    @extend_schema(summary="Registrera individuell prövning", tags=TAGS, request=s.ReviewInput,
                   responses={201: s.CaseSerializer, **ERRORS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def reviews(self, request: Request, pk: str) -> Response:
        v = self._input(s.ReviewInput, request)
        services.record_review(request.user, Actor.from_request(request), int(pk), reviewed_on=v["reviewed_on"],
                               outcome=v["outcome"], reasoning=v["reasoning"])  # fmt: skip
        return self._represent(int(pk), status.HTTP_201_CREATED)

    @extend_schema(summary="Registrera uppföljningsmöte", tags=TAGS, request=s.MeetingInput,
                   responses={201: s.CaseSerializer, **ERRORS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def meetings(self, request: Request, pk: str) -> Response:
        v = self._input(s.MeetingInput, request)
        services.record_meeting(request.user, Actor.from_request(request), int(pk), held_on=v["held_on"],
                                parties=v["parties"], notes=v["notes"])  # fmt: skip
        return self._represent(int(pk), status.HTTP_201_CREATED)

    @extend_schema(summary="Markera att övergång till annat arbete planeras", tags=TAGS, request=s.TransitionInput,
                   responses={200: s.CaseSerializer, **ERRORS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str) -> Response:
        v = self._input(s.TransitionInput, request)
        services.set_transition(request.user, Actor.from_request(request), int(pk), version=v["version"], planned=v["planned"])
        return self._represent(int(pk))

    @extend_schema(summary="Besluta överflyttning till annan stadsdel (av den ansvariga stadsdelen)", tags=TAGS,
                   request=s.TransferInput, responses={201: s.CaseSerializer, **ERRORS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str) -> Response:
        v = self._input(s.TransferInput, request)
        services.decide_transfer(request.user, Actor.from_request(request), int(pk), version=v["version"],
                                 to_district_id=v["to_district"], handover_on=v["handover_on"], note=v["note"])  # fmt: skip
        return self._represent(int(pk), status.HTTP_201_CREATED)

    @extend_schema(summary="Avsluta OSA-anställningen (datum inom anställningen och orsak)", tags=TAGS,
                   request=s.EndInput, responses={200: s.CaseSerializer, **ERRORS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        v = self._input(s.EndInput, request)
        services.end_case(request.user, Actor.from_request(request), int(pk), version=v["version"],
                          ended_on=v["ended_on"], reason=v["reason"], reason_text=v["reason_text"])  # fmt: skip
        return self._represent(int(pk))

    @extend_schema(summary="Genomförandeplanen: aktuell version och historik (GET) eller spara en ny version (PUT)",
                   tags=TAGS, request=s.PlanInput, responses={200: OpenApiResponse(description="Planen"), **ERRORS})  # fmt: skip
    @action(detail=True, methods=["get", "put"])
    def plan(self, request: Request, pk: str) -> Response:
        if request.method == "PUT":
            v = self._input(s.PlanInput, request)
            services.save_plan(request.user, Actor.from_request(request), int(pk), version=v["version"],
                               items=v["items"], note=v["note"])  # fmt: skip
            case = OsaCase.objects.get(pk=int(pk))
        else:
            case = self._case(request, pk)
        plan = getattr(case, "plan", None)
        versions = list(plan.versions.prefetch_related("items").order_by("-number")) if plan else []
        return Response({
            "version": plan.version if plan else 0,
            "versions": [
                {"number": pv.number, "saved_at": pv.saved_at, "saved_by": pv.saved_by_id, "note": pv.note,
                 "items": s.PlanItemSerializer(pv.items.all(), many=True).data}
                for pv in versions
            ],
        })  # fmt: skip

    def _input(self, serializer_class: Any, request: Request) -> dict[str, Any]:
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)


class AnnualPlacesViewSet(viewsets.ViewSet):
    capability_refused_messages = {"list": "Din roll får inte se årsplatserna."}
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "list": "osa.places",
        "create": "osa.manage_places",
    }
    renderer_classes = [JSONRenderer]
    parser_classes = [SafeJSONParser]

    @extend_schema(summary="Planerade och använda årsplatser per stadsdel (platsår) och nyttjande", tags=TAGS,
                   parameters=[OpenApiParameter("year", int, description="År (förvalt i år)")],
                   responses={200: OpenApiResponse(description="En rad per stadsdel"), **ERRORS})  # fmt: skip
    def list(self, request: Request) -> Response:
        raw = request.query_params.get("year", "")
        if raw and (not raw.isdigit() or not 2000 <= int(raw) <= 2100):
            raise ValidationError({"year": ["Ange ett år mellan 2000 och 2100."]})
        year = int(raw) if raw else timezone.localdate().year
        rows = selectors.annual_places(year)
        return Response([
            {"district": r.district.pk, "district_name": r.district.name, "year": year, "planned": r.planned,
             "used_place_years": r.used_place_years, "persons": r.persons, "utilisation_percent": r.utilisation,
             "version": r.places.version if r.places else None}
            for r in rows
        ])  # fmt: skip

    @extend_schema(summary="Registrera planerade årsplatser för din stadsdel", tags=TAGS, request=s.PlacesInput,
                   responses={200: OpenApiResponse(description="Sparat"), **ERRORS})  # fmt: skip
    def create(self, request: Request) -> Response:
        data = s.PlacesInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        row = services.set_annual_places(request.user, district_id=v["district"], year=v["year"], planned=v["planned"],
                                         af_unit_id=v["af_unit"], version=v["version"])  # fmt: skip
        return Response({"district": row.district_id, "year": row.year, "planned": row.planned, "version": row.version})


def register(router: Any) -> None:
    router.register("osa-cases", OsaCaseViewSet, basename="osa-case")
    router.register("osa-annual-places", AnnualPlacesViewSet, basename="osa-annual-places")
