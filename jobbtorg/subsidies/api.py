"""Subsidies through the API, with the UI's services, rules, access and audit.

- /api/v1/subsidy-cases/ — list (scoped by access, audited), create, retrieve, and one POST
  action per change: details, decision, close, terminate, end, complete-step.
- /api/v1/lonebidrag-steps/ — open lönebidrag steps of visible persons (?overdue=true, ?unit=, ?kind=);
  /api/v1/lonebidrag-steps/board/ — the city-wide board, aggregates only.

The qualification rules, facts and evaluation are the eligibility app's API (eligibility.api).

Answers: 400 with Swedish field errors, 403 when the role may not, 404 without a relation
(same as a case that does not exist), 409 when someone saved since the `version` the client read.
Which roles see subsidy cases, and which kinds, is `access.sections` (issue 8 item 7): the lists
answer 403 to a role without the section, a case of a refused kind 404, audited as refused.
"""

from __future__ import annotations

import builtins
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from jobbtorg.access.services import log_listed
from jobbtorg.audit.services import Actor
from jobbtorg.core.api import Pagination, SafeJSONParser
from jobbtorg.subsidies import selectors, services
from jobbtorg.subsidies import serializers as s
from jobbtorg.subsidies import steps as step_rules
from jobbtorg.subsidies.models import SubsidyCase, SubsidyStep

ID_PATTERN = r"[0-9]{1,18}"
ERRORS = {
    400: OpenApiResponse(description="Felaktiga uppgifter: fältfel på svenska."),
    403: OpenApiResponse(description="Din roll får inte göra det här."),
    404: OpenApiResponse(description="Ärendet finns inte, eller du har ingen relation till personen."),
    409: OpenApiResponse(description="Någon annan har ändrat ärendet sedan du läste det."),
}
TAG = ["anställningsstöd"]


def _what(request: Request, group: str) -> str:
    return f"API {request.method} {request.path} · {group}"


SECTION_REFUSED = "Ärenden om anställningsstöd visas för coacher, enhetschefer och OSA-handläggare."


def _require_subsidy_section(request: Request, what: str) -> None:
    """A role that sees no subsidy case at all gets a 403 for the lists (audited by the service)."""
    try:
        services.require_section_for_lists(request.user, Actor.from_request(request), what)
    except PermissionDenied as exc:
        raise DRFPermissionDenied(str(exc)) from exc


def _steps_prefetch() -> Prefetch:
    return Prefetch("steps", queryset=SubsidyStep.objects.select_related("case").order_by("seq", "id"))


class SubsidyCaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    capability_refused_messages = {"list": SECTION_REFUSED}
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "list": "subsidies.read",
        "retrieve": "subsidies.read",
        "create": "subsidies.read",
        "details": "subsidies.read",
        "decision": "subsidies.read",
        "close": "subsidies.read",
        "terminate": "subsidies.read",
        "end": "subsidies.read",
        "complete_step": "subsidies.read",
    }
    pagination_class = Pagination
    renderer_classes = [JSONRenderer]
    parser_classes = [SafeJSONParser]
    serializer_class = s.SubsidyCaseSerializer
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[SubsidyCase]:
        return selectors.visible_cases(self.request.user).prefetch_related(_steps_prefetch())

    def _context(self, detail: bool = False) -> dict[str, Any]:
        return {"today": timezone.localdate(), **({"warnings": services.case_warnings} if detail else {})}

    @extend_schema(summary="Ärenden om anställningsstöd för personer du har relation till", tags=TAG)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _require_subsidy_section(request, _what(request, "stödärenden"))
        rows = list(self.paginate_queryset(self.get_queryset()) or [])
        log_listed(Actor.from_request(request), _what(request, "stödärenden"), [c.participation.person for c in rows])
        return self.get_paginated_response(s.SubsidyCaseSerializer(rows, many=True, context=self._context()).data)

    @extend_schema(
        summary="Ett ärende med steg, tidsfrister och varningar", responses={200: s.SubsidyCaseSerializer, **ERRORS}, tags=TAG
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self._open(request, "stödärende")
        return self._represent(case.pk)

    def _open(self, request: Request, group: str) -> SubsidyCase:
        # AccessDenied (audited by the service) answers the same 404 as a case that does not exist.
        return services.open_case(request.user, Actor.from_request(request), int(self.kwargs["pk"]), what=_what(request, group))

    # builtins.list: in this class body `list` is the list action.
    def _represent(self, pk: int, status: int = 200, warnings: builtins.list[str] | None = None) -> Response:
        case = SubsidyCase.objects.select_related("participation").prefetch_related(_steps_prefetch()).get(pk=pk)
        data = s.SubsidyCaseSerializer(case, context=self._context(detail=True)).data
        if warnings:
            data["warnings"] = list(dict.fromkeys([*(data.get("warnings") or []), *warnings]))
        return Response(data, status=status)

    @extend_schema(
        summary="Registrera ett nytt ärende (intresseanmälan)",
        request=s.SubsidyCaseInput,
        responses={201: s.SubsidyCaseSerializer, **ERRORS},
        tags=TAG,
    )
    def create(self, request: Request) -> Response:
        v = s.SubsidyCaseInput(data=request.data)
        v.is_valid(raise_exception=True)
        d = v.validated_data
        case = services.create_case(request.user, Actor.from_request(request), services.NewCase.parsed(d))
        return self._represent(case.pk, status=201)

    def _run(self, request: Request, serializer_class: Any, call: Any) -> Response:
        v = serializer_class(data=request.data)
        v.is_valid(raise_exception=True)
        pk = int(self.kwargs["pk"])
        actor = Actor.from_request(request)
        services.require_section_for_change(request.user, actor, pk, what=_what(request, "stödärende"))
        result = call(Actor.from_request(request), pk, v)
        warnings = result[1] if isinstance(result, tuple) else None
        return self._represent(pk, warnings=warnings)

    @extend_schema(
        summary="Ändra uppgifter (fritext, praktik, handledare, planerad start)",
        request=s.SubsidyCaseDetailsInput,
        responses={200: s.SubsidyCaseSerializer, **ERRORS},
        tags=TAG,
    )
    @action(detail=True, methods=["post"])
    def details(self, request: Request, pk: str) -> Response:
        return self._run(
            request,
            s.SubsidyCaseDetailsInput,
            lambda a, pk, v: services.update_case(
                request.user, a, pk, version=v.validated_data["version"], data=services.CaseDetails.parsed(v.validated_data)
            ),
        )

    @extend_schema(
        summary="Registrera Arbetsförmedlingens beslut (inte lönebidrag: se steg 6)",
        request=s.SubsidyDecisionInput,
        responses={200: s.SubsidyCaseSerializer, **ERRORS},
        tags=TAG,
    )
    @action(detail=True, methods=["post"])
    def decision(self, request: Request, pk: str) -> Response:
        return self._run(
            request,
            s.SubsidyDecisionInput,
            lambda a, pk, v: services.record_decision(
                request.user,
                a,
                pk,
                version=v.validated_data["version"],
                decision_on=v.validated_data["decision_on"],
                period_from=v.validated_data["period_from"],
                period_to=v.validated_data["period_to"],
                missing_facts=v.validated_data["missing_facts"],
            ),
        )

    @extend_schema(
        summary="Avslag eller återkallad ansökan",
        request=s.SubsidyCloseInput,
        responses={200: s.SubsidyCaseSerializer, **ERRORS},
        tags=TAG,
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        return self._run(
            request,
            s.SubsidyCloseInput,
            lambda a, pk, v: services.close_without_grant(
                request.user,
                a,
                pk,
                version=v.validated_data["version"],
                target=v.validated_data["status"],
                on=v.validated_data["on"],
                reason=v.validated_data["reason"],
            ),
        )

    @extend_schema(
        summary="Avbrott i förtid: skapar uppgiften att anmäla till Arbetsförmedlingen",
        request=s.SubsidyTerminateInput,
        responses={200: s.SubsidyCaseSerializer, **ERRORS},
        tags=TAG,
    )
    @action(detail=True, methods=["post"])
    def terminate(self, request: Request, pk: str) -> Response:
        return self._run(
            request,
            s.SubsidyTerminateInput,
            lambda a, pk, v: services.terminate_early(
                request.user,
                a,
                pk,
                version=v.validated_data["version"],
                terminated_on=v.validated_data["terminated_on"],
                reason=v.validated_data["reason"],
            ),
        )

    @extend_schema(
        summary="Avsluta enligt beslut", request=s.SubsidyEndInput, responses={200: s.SubsidyCaseSerializer, **ERRORS}, tags=TAG
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        return self._run(
            request,
            s.SubsidyEndInput,
            lambda a, pk, v: services.end_case(
                request.user, a, pk, version=v.validated_data["version"], ended_on=v.validated_data["ended_on"]
            ),
        )

    @extend_schema(
        summary="Registrera ett steg (lönebidragsprocessen, anmälan av avbrott)",
        request=s.SubsidyStepInput,
        responses={200: s.SubsidyCaseSerializer, **ERRORS},
        tags=TAG,
    )
    @action(detail=True, methods=["post"], url_path="complete-step")
    def complete_step(self, request: Request, pk: str) -> Response:
        return self._run(
            request,
            s.SubsidyStepInput,
            lambda a, pk, v: services.complete_step(
                request.user,
                a,
                pk,
                version=v.validated_data["version"],
                kind=v.validated_data["kind"],
                done_on=v.validated_data["done_on"],
                outcome=v.validated_data["outcome"],
                note=v.validated_data["note"],
                data=v.service_data(),
            ),
        )


class LonebidragStepViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    capability_refused_messages = {
        "board": "Tavlan visas för coacher, enhetschefer, analytiker och systemförvaltare.", "list": SECTION_REFUSED,
    }
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "list": "subsidies.read",
        "board": "subsidies.board",
    }
    pagination_class = Pagination
    renderer_classes = [JSONRenderer]
    serializer_class = s.SubsidyStepSerializer

    def get_queryset(self) -> QuerySet[SubsidyStep]:
        today = timezone.localdate()
        qs = selectors.visible_lonebidrag_steps(self.request.user, today)
        params = self.request.query_params
        if params.get("overdue") in ("true", "1"):
            qs = qs.filter(pk__in=selectors.overdue_step_ids(today))
        kind = params.get("kind", "")
        if kind in [k.value for k in step_rules.LONEBIDRAG_STEPS]:
            qs = qs.filter(kind=kind)
        unit = params.get("unit", "")
        if unit.isdigit() and len(unit) <= 18:
            qs = qs.filter(case__participation__unit_id=int(unit))
        return qs.select_related("case__participation__person").order_by("due_on", "id")

    @extend_schema(
        summary="Pågående lönebidragssteg för personer du har relation till",
        parameters=[
            OpenApiParameter("overdue", str, description="true: bara försenade steg"),
            OpenApiParameter("kind", str, description="Steg, t.ex. lb_5_union"),
            OpenApiParameter("unit", int, description="Jobbtorgets id"),
        ],
        tags=TAG,
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _require_subsidy_section(request, _what(request, "lönebidragssteg"))
        rows = list(self.paginate_queryset(self.get_queryset()) or [])
        log_listed(Actor.from_request(request), _what(request, "lönebidragssteg"), [st.case.participation.person for st in rows])
        return self.get_paginated_response(s.SubsidyStepSerializer(rows, many=True, context={"today": timezone.localdate()}).data)

    @extend_schema(
        summary="Tavlan för hela staden: per jobbtorg och steg, inga namn",
        responses={200: s.SubsidyBoardRowSerializer(many=True), 403: ERRORS[403]},
        tags=TAG,
    )
    @action(detail=False, methods=["get"])
    def board(self, request: Request) -> Response:
        if not selectors.may_see_board(request.user):
            raise DRFPermissionDenied("Tavlan visas för coacher, enhetschefer, analytiker och systemförvaltare.")
        return Response(s.SubsidyBoardRowSerializer(selectors.board(timezone.localdate()), many=True).data)


def register(router) -> None:
    router.register("subsidy-cases", SubsidyCaseViewSet, basename="subsidy-case")
    router.register("lonebidrag-steps", LonebidragStepViewSet, basename="lonebidrag-step")
