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
<<<<<<< HEAD
    """A role that sees no subsidy case at all gets a 403 for the lists (audited by the service)."""
    try:
        services.require_section_for_lists(request.user, Actor.from_request(request), what)
    except PermissionDenied as exc:
        raise DRFPermissionDenied(str(exc)) from exc
=======
    """A role that sees no subsidy case at all gets a 403 for the lists (audited as refused)."""
    if not sections.may_see_section(request.user, sections.Section.SUBSIDIES):
        sections.refuse(Actor.from_request(request), sections.Section.SUBSIDIES, what, None, action=Action.LIST)
        raise DRFPermissionDenied(SECTION_REFUSED)


def _section_for_change(request: Request, pk: int) -> None:
    """A change to a case of a refused section answers 404 like a read (the services' 403 for a
    role that may read but not act would tell that the case exists)."""
    case = services.load_case(pk)
    if case is not None:
        person = case.participation.person
        sections.require_section(
            request.user, Actor.from_request(request), sections.Section.SUBSIDIES, _what(request, "stödärende"), person.pk,
            protected=person.is_protected, context=case, action=Action.CHANGE,
        )  # fmt: skip
>>>>>>> cap


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


<<<<<<< HEAD
=======
class QualificationRuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    capability_refused_messages = {"create": "Bara systemförvaltaren lägger till regelversioner."}
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "list": "subsidies.read_rules",
        "retrieve": "subsidies.read_rules",
        "create": "subsidies.manage_rules",
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
        rule = services.add_rule_version(Actor.from_request(request), **v.validated_data)
        return Response(s.SubsidyRuleSerializer(rule).data, status=201)


class EligibilityViewSet(viewsets.GenericViewSet):
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "create": "subsidies.check_eligibility",
    }
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
            result = services.evaluate_for(request.user, Actor.from_request(request), d["person"], d["subsidy_type"], d.get("on"))
        except PermissionDenied as exc:
            raise DRFPermissionDenied(str(exc)) from exc
        return Response(s.SubsidyEvaluationSerializer(result).data)


class EligibilityFactsViewSet(viewsets.GenericViewSet):
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "retrieve": "subsidies.check_eligibility",
        "update": "subsidies.check_eligibility",
    }
    renderer_classes = [JSONRenderer]
    parser_classes = [SafeJSONParser]
    serializer_class = s.SubsidyFactsInput
    lookup_value_regex = ID_PATTERN
    queryset = Person.objects.none()  # persons are reached only through open_person (for OPTIONS and the schema)

    def _facts(self, person_id: int) -> dict[str, Any]:
        stored = services.facts_of(Person.objects.get(pk=person_id))
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
            person = services.open_facts(request.user, Actor.from_request(request), int(pk), what)
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
            services.save_facts(
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
                services.save_history(request.user, actor, int(pk), {m["month"]: m["kind"] or None for m in d["months"]})
        except PermissionDenied as exc:
            raise DRFPermissionDenied(str(exc)) from exc
        return Response(self._facts(int(pk)))


>>>>>>> cap
def register(router) -> None:
    router.register("subsidy-cases", SubsidyCaseViewSet, basename="subsidy-case")
    router.register("lonebidrag-steps", LonebidragStepViewSet, basename="lonebidrag-step")
