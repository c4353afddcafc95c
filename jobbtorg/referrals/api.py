"""Referrals through the API (/api/v1/referrals/, /api/v1/target-groups/), with the same
service, rules and audit as the form and the CSV import page.

- create: a social worker refers a person of the own district (400 with Swedish field errors).
- list/retrieve: the own district's referrals, people filtered by access.
- import: the CSV file as the request body (text/csv) or a multipart field `file`;
  201 with the created ids, or 400 with the row-by-row report and nothing saved.
- return / resubmit: the Jobbtorg sends a referral back; the district completes it.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from jobbtorg.access.services import log_listed
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor
from jobbtorg.core.api import NOT_FOUND_MESSAGE, Pagination, SafeJSONParser
from jobbtorg.core.errors import AccessDenied
from jobbtorg.referrals import csv_import, selectors, services
from jobbtorg.referrals import serializers as s
from jobbtorg.referrals.models import Referral

ERRORS = {
    400: OpenApiResponse(description="Felaktiga uppgifter: fältfel på svenska. Ingenting sparas."),
    403: OpenApiResponse(description="Bara socialsekreterare i hemstadsdelen anvisar."),
    404: OpenApiResponse(description="Finns inte, eller du har ingen relation till personen."),
}


class CSVParser(BaseParser):
    """The raw bytes of a text/csv body; decoding and parsing is csv_import's."""

    media_type = "text/csv"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> bytes:
        return stream.read(csv_import.MAX_BYTES + 1) if stream else b""


def _what(request: Request, group: str) -> str:
    return f"API {request.method} {request.path} · {group}"


@extend_schema_view(
    list=extend_schema(summary="Stadsdelens anvisningar", tags=["anvisningar"]),
    retrieve=extend_schema(summary="En anvisning", responses={200: s.ReferralSerializer, **ERRORS}, tags=["anvisningar"]),
    create=extend_schema(summary="Anvisa en person", request=s.ReferralCreateSerializer,
                         responses={201: s.ReferralSerializer, **ERRORS}, tags=["anvisningar"]),
)  # fmt: skip
class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    pagination_class = Pagination
    renderer_classes = [JSONRenderer]
    parser_classes = [SafeJSONParser]
    serializer_class = s.ReferralSerializer
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[Referral]:
        return selectors.district_referrals(self.request.user).prefetch_related("target_groups").select_related("derived_unit")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = list(self.paginate_queryset(self.get_queryset()) or [])
        log_listed(Actor.from_request(request), _what(request, "anvisningar"), [r.participation.person for r in page])
        return self.get_paginated_response(s.ReferralSerializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        referral = self.get_queryset().filter(pk=int(kwargs["pk"])).first()
        if referral is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        log_listed(Actor.from_request(request), _what(request, "anvisning"), [referral.participation.person], action=Action.READ)
        return Response(s.ReferralSerializer(referral).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = s.ReferralCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        referral = services.create_referral(
            request.user, Actor.from_request(request), serializer.referral_input(), source=Referral.Source.API
        )
        return Response(s.ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Importera anvisningar från CSV (allt eller inget)",
        request={"text/csv": {"type": "string", "format": "binary"}, "multipart/form-data": {
            "type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
        responses={201: s.ImportResultSerializer, **ERRORS},
        tags=["anvisningar"],
    )  # fmt: skip
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[CSVParser, MultiPartParser])
    def import_csv(self, request: Request) -> Response:
        if not services.may_refer(request.user):
            raise PermissionDenied("Bara socialsekreterare kan importera anvisningar.")
        data = request.data
        filename = "api.csv"
        if not isinstance(data, bytes):
            upload = data.get("file") if hasattr(data, "get") else None
            if upload is None:
                return Response({"file": ["Skicka filen som text/csv eller i fältet file."]}, status=400)
            filename = upload.name or filename
            data = upload.read(csv_import.MAX_BYTES + 1)
        result = csv_import.import_referrals(
            request.user, Actor.from_request(request), data, filename=filename, today=timezone.localdate()
        )
        if not result.ok:
            return Response({"detail": "Filen importerades inte. Ingenting har sparats.", "errors": result.errors}, status=400)
        return Response(
            {
                "created": len(result.referrals),
                "referrals": [r.pk for r in result.referrals],
                "participations": [r.participation_id for r in result.referrals],
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(summary="Återsänd anvisningen till stadsdelen (jobbtorget)", request=s.ReturnInput,
                   responses={200: s.ReferralSerializer, **ERRORS}, tags=["anvisningar"])  # fmt: skip
    @action(detail=True, methods=["post"], url_path="return")
    def return_referral(self, request: Request, pk: str) -> Response:
        serializer = s.ReturnInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        referral = services.return_referral(request.user, Actor.from_request(request), int(pk), **serializer.validated_data)
        return Response(s.ReferralSerializer(referral).data)

    @extend_schema(summary="Komplettera en återsänd anvisning (stadsdelen)", request=s.ResubmitInput,
                   responses={200: s.ReferralSerializer, **ERRORS}, tags=["anvisningar"])  # fmt: skip
    @action(detail=True, methods=["post"])
    def resubmit(self, request: Request, pk: str) -> Response:
        serializer = s.ResubmitInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            referral = services.resubmit_referral(request.user, Actor.from_request(request), int(pk), **serializer.validated_data)
        except AccessDenied as exc:
            raise NotFound(NOT_FOUND_MESSAGE) from exc
        return Response(s.ReferralSerializer(referral).data)


@extend_schema_view(
    list=extend_schema(summary="Målgrupper", tags=["anvisningar"]),
    retrieve=extend_schema(summary="En målgrupp", tags=["anvisningar"]),
)
class TargetGroupViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.TargetGroupSerializer
    renderer_classes = [JSONRenderer]
    pagination_class = Pagination
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.target_groups()


def register(router) -> None:
    router.register("referrals", ReferralViewSet, basename="referral")
    router.register("target-groups", TargetGroupViewSet, basename="target-group")
