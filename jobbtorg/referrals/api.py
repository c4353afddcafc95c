"""Referrals through the API (/api/v1/referrals/, /api/v1/target-groups/), with the same
service, rules and audit as the form and the CSV import page.

- create: a social worker refers a person of the own district (400 with Swedish field errors).
- list/retrieve: the own district's referrals, people filtered by access.
- import: the CSV file as the request body (text/csv) or a multipart field `file`. The file is
  checked at once (size, encoding, header, at most csv_import.MAX_ROWS rows: 400) and imported
  by a background task; the answer is the job's state: 202 with its address while it is queued
  or running, 201 with the created ids when done, 400 with the row-by-row report (nothing saved).
  GET import/<job>/ gives the same, to the uploader only.
- return / resubmit: the Jobbtorg sends a referral back; the district completes it.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.urls import reverse
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
from jobbtorg.audit.services import Actor, record
from jobbtorg.core.api import NOT_FOUND_MESSAGE, Pagination, SafeJSONParser
from jobbtorg.core.errors import AccessDenied
from jobbtorg.referrals import csv_import, selectors, services
from jobbtorg.referrals import serializers as s
from jobbtorg.referrals.models import ImportJob, Referral

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


def _job_response(request: Request, job: ImportJob) -> Response:
    """The job's state: 201 done (with the created ids), 400 failed (the report), 202 otherwise."""
    job.refresh_from_db()
    body: dict[str, Any] = {
        "job": job.pk,
        "status": job.status,
        "url": request.build_absolute_uri(reverse("referral-import-status", kwargs={"job_id": job.pk})),
        "rows_total": job.rows_total,
        "rows_checked": job.rows_checked,
        "rows_saved": job.rows_saved,
    }
    if job.status == ImportJob.Status.FAILED:
        return Response({**body, "detail": "Filen importerades inte. Ingenting har sparats.", "errors": job.errors}, status=400)
    if job.status == ImportJob.Status.DONE:
        created = Referral.objects.filter(import_batch_id=job.batch_id).order_by("id")
        referrals = list(created.values_list("pk", "participation_id"))
        return Response(
            {
                **body,
                "created": len(referrals),
                "referrals": [pk for pk, _part in referrals],
                "participations": [part for _pk, part in referrals],
            },
            status=status.HTTP_201_CREATED,
        )
    return Response(body, status=status.HTTP_202_ACCEPTED)


def _what(request: Request, group: str) -> str:
    return f"API {request.method} {request.path} · {group}"


@extend_schema_view(
    list=extend_schema(summary="Stadsdelens anvisningar", tags=["anvisningar"]),
    retrieve=extend_schema(summary="En anvisning", responses={200: s.ReferralSerializer, **ERRORS}, tags=["anvisningar"]),
    create=extend_schema(summary="Anvisa en person", request=s.ReferralCreateSerializer,
                         responses={201: s.ReferralSerializer, **ERRORS}, tags=["anvisningar"]),
)  # fmt: skip
class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    capability_refused_messages = {"import_csv": "Bara socialsekreterare kan importera anvisningar."}
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "list": "referrals.read",
        "retrieve": "referrals.read",
        "create": "referrals.refer",
        "import_csv": "referrals.refer",
        "import_status": "referrals.refer",
        "return_referral": "participations.return_referral",
        "resubmit": "referrals.refer",
        "withdraw": "referrals.withdraw",
    }
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
        job, errors = csv_import.start_job(request.user, Actor.from_request(request), data, filename=filename)
        if job is None:
            return Response({"detail": "Filen importerades inte. Ingenting har sparats.", "errors": errors}, status=400)
        return _job_response(request, job)

    @extend_schema(summary="Läget för en import av anvisningar", responses={200: s.ImportResultSerializer, **ERRORS},
                   tags=["anvisningar"])  # fmt: skip
    @action(detail=False, methods=["get"], url_path=r"import/(?P<job_id>[0-9]{1,18})")
    def import_status(self, request: Request, job_id: str) -> Response:
        job = ImportJob.objects.filter(pk=int(job_id), uploaded_by=request.user).first()
        if job is None:
            record(Actor.from_request(request), Action.READ, "API anvisningar: importjobb", None, allowed=False)
            raise NotFound(NOT_FOUND_MESSAGE)
        response = _job_response(request, job)
        response.status_code = 200
        return response

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
        return self._district_step(request, pk, s.ResubmitInput, services.resubmit_referral)

    @extend_schema(summary="Återkalla anvisningen innan personen skrivits in (stadsdelen)", request=s.WithdrawInput,
                   responses={200: s.ReferralSerializer, **ERRORS}, tags=["anvisningar"])  # fmt: skip
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        return self._district_step(request, pk, s.WithdrawInput, services.withdraw_referral)

    def _district_step(self, request: Request, pk: str, input_serializer: Any, step: Any) -> Response:
        """The district's step on one referral (resubmit, withdraw): no relation to the person is a 404."""
        serializer = input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            referral = step(request.user, Actor.from_request(request), int(pk), **serializer.validated_data)
        except AccessDenied as exc:
            raise NotFound(NOT_FOUND_MESSAGE) from exc
        return Response(s.ReferralSerializer(referral).data)


@extend_schema_view(
    list=extend_schema(summary="Målgrupper", tags=["anvisningar"]),
    retrieve=extend_schema(summary="En målgrupp", tags=["anvisningar"]),
)
class TargetGroupViewSet(viewsets.ReadOnlyModelViewSet):
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "list": "referrals.target_groups",
        "retrieve": "referrals.target_groups",
    }
    serializer_class = s.TargetGroupSerializer
    renderer_classes = [JSONRenderer]
    pagination_class = Pagination
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.target_groups()


def register(router) -> None:
    router.register("referrals", ReferralViewSet, basename="referral")
    router.register("target-groups", TargetGroupViewSet, basename="target-group")
