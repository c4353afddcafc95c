"""Participations through the API (/api/v1/participations/), with the UI's services,
rules, access and audit: retrieve and list (scoped by access, audited), and one POST
action per step of the path.

Answers: 400 with Swedish field errors, 403 when the role may not do the step, 404
without a relation (same as a participation that does not exist), 409 when someone
saved since the `version` the client read.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from jobbtorg.access.sections import visible_sections
from jobbtorg.access.services import log_listed, open_person
from jobbtorg.activities.services import end_activities_at_closure
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core.api import NOT_FOUND_MESSAGE, Pagination, SafeJSONParser
from jobbtorg.core.errors import AccessDenied
from jobbtorg.participations import selectors, services
from jobbtorg.participations import serializers as s
from jobbtorg.participations.models import Participation, PostClosureFollowUp

ID_PATTERN = r"[0-9]{1,18}"
ERRORS = {
    400: OpenApiResponse(description="Felaktiga uppgifter: fältfel på svenska."),
    403: OpenApiResponse(description="Din roll får inte göra det här steget."),
    404: OpenApiResponse(description="Deltagandet finns inte, eller du har ingen relation till personen."),
    409: OpenApiResponse(description="Någon annan har ändrat deltagandet sedan du läste det."),
}


def _what(request: Request, group: str) -> str:
    return f"API {request.method} {request.path} · {group}"


def _step(summary: str, request_serializer: Any) -> Any:
    return extend_schema(summary=summary, request=request_serializer, responses={200: s.ParticipationSerializer, **ERRORS},
                         tags=["deltaganden"])  # fmt: skip


class ParticipationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "list": "participations.read",
        "retrieve": "participations.read",
        "assign_coach": "participations.assign_coach",
        "take": "participations.take",
        "appointments": "participations.book_appointment",
        "visit_reschedule": "participations.manage_visits",
        "visit_cancel": "participations.manage_visits",
        "visit_held": "participations.manage_visits",
        "visit_no_show": "participations.manage_visits",
        "arrive": "participations.enrol",
        "af_registration": "participations.enrol",
        "information": "participations.enrol",
        "job_guarantee_offer": "participations.enrol",
        "interrupt": "participations.interrupt",
        "restart": "participations.interrupt",
        "close": "participations.close",
        "followup": "participations.follow_up",
    }
    pagination_class = Pagination
    renderer_classes = [JSONRenderer]
    parser_classes = [SafeJSONParser]
    serializer_class = s.ParticipationSerializer
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Participation]:
        return selectors.visible_participations(self.request.user)

    @extend_schema(summary="Deltaganden du har relation till", tags=["deltaganden"])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rows = list(page or [])
        log_listed(Actor.from_request(request), _what(request, "deltaganden"), [p.person for p in rows])
        context = {"sections": visible_sections(request.user)}
        return self.get_paginated_response(s.ParticipationSerializer(rows, many=True, context=context).data)

    @extend_schema(
        summary="Ett deltagande med checklista, tidsfrister och resultat",
        responses={200: s.ParticipationSerializer, **ERRORS},
        tags=["deltaganden"],
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        p = self._open(request, "deltagande")
        return self._represent(p)

    def _open(self, request: Request, group: str) -> Participation:
        p = services.load(int(self.kwargs["pk"]))
        actor = Actor.from_request(request)
        if p is None:
            record(actor, Action.READ, _what(request, group), None, allowed=False)
            raise NotFound(NOT_FOUND_MESSAGE)
        open_person(request.user, actor, p.person_id, _what(request, group))
        return p

    def _represent(self, p: Participation) -> Response:
        fresh = services.load(p.pk) or p
        context = {"detail": True, "today": timezone.localdate(), "sections": visible_sections(self.request.user)}
        return Response(s.ParticipationSerializer(fresh, context=context).data)

    def _run(self, request: Request, serializer_class: Any, call: Any) -> Response:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        pk = int(self.kwargs["pk"])
        call(Actor.from_request(request), pk, serializer)
        p = services.load(pk)
        if p is None:
            raise AccessDenied()
        return self._represent(p)

    @_step("Tilldela coach (enhetschef)", s.AssignCoachInput)
    @action(detail=True, methods=["post"], url_path="assign-coach")
    def assign_coach(self, request: Request, pk: str) -> Response:
        return self._run(
            request,
            s.AssignCoachInput,
            lambda a, pk, v: services.assign_coach(
                request.user, a, pk, version=v.validated_data["version"], coach_id=v.validated_data["coach"]
            ),
        )

    @_step("Ta ärendet: bli personlig coach för en deltagare utan tilldelad coach (coach)", s.TakeInput)
    @action(detail=True, methods=["post"])
    def take(self, request: Request, pk: str) -> Response:
        return self._run(
            request, s.TakeInput, lambda a, pk, v: services.take(request.user, a, pk, version=v.validated_data["version"])
        )

    @_step("Boka besökstid", s.AppointmentInput)
    @action(detail=True, methods=["post"])
    def appointments(self, request: Request, pk: str) -> Response:
        return self._run(
            request,
            s.AppointmentInput,
            lambda a, pk, v: services.book(
                request.user,
                a,
                pk,
                starts_at=v.validated_data["starts_at"],
                place=v.validated_data["place"],
                coach_id=v.validated_data["coach"],
            ),
        )

    def _visit(self, request: Request, visit_id: str, serializer_class: Any, call: Any) -> Response:
        """A step of one of this participation's visits (participations.rules.VISIT_TRANSITIONS)."""
        visit = selectors.visit(int(visit_id))
        if visit is None or visit.participation_id != int(self.kwargs["pk"]):
            record(Actor.from_request(request), Action.CHANGE, _what(request, "besök"), None, allowed=False)
            raise NotFound(NOT_FOUND_MESSAGE)
        return self._run(request, serializer_class, lambda a, pk, v: call(a, visit.pk, v.validated_data))

    @_step("Boka om ett besök", s.VisitRescheduleInput)
    @action(detail=True, methods=["post"], url_path=r"visits/(?P<visit_id>[0-9]{1,18})/reschedule")
    def visit_reschedule(self, request: Request, pk: str, visit_id: str) -> Response:
        return self._visit(
            request, visit_id, s.VisitRescheduleInput,
            lambda a, vid, d: services.reschedule(
                request.user, a, vid, version=d["version"], starts_at=d["starts_at"], place=d["place"], coach_id=d["coach"]
            ),
        )

    @_step("Ställ in ett besök (med orsak; besöket finns kvar)", s.VisitCancelInput)
    @action(detail=True, methods=["post"], url_path=r"visits/(?P<visit_id>[0-9]{1,18})/cancel")
    def visit_cancel(self, request: Request, pk: str, visit_id: str) -> Response:
        return self._visit(
            request, visit_id, s.VisitCancelInput,
            lambda a, vid, d: services.cancel_visit(request.user, a, vid, version=d["version"], reason=d["reason"]),
        )

    @_step("Besöket genomfört", s.VisitStepInput)
    @action(detail=True, methods=["post"], url_path=r"visits/(?P<visit_id>[0-9]{1,18})/held")
    def visit_held(self, request: Request, pk: str, visit_id: str) -> Response:
        return self._visit(
            request, visit_id, s.VisitStepInput,
            lambda a, vid, d: services.mark_held(request.user, a, vid, version=d["version"]),
        )

    @_step("Deltagaren uteblev (avvikelse till hemstadsdelen)", s.VisitStepInput)
    @action(detail=True, methods=["post"], url_path=r"visits/(?P<visit_id>[0-9]{1,18})/no-show")
    def visit_no_show(self, request: Request, pk: str, visit_id: str) -> Response:
        return self._visit(
            request, visit_id, s.VisitStepInput,
            lambda a, vid, d: services.mark_no_show(request.user, a, vid, version=d["version"]),
        )

    @_step("Registrera ankomst", s.ArrivalInput)
    @action(detail=True, methods=["post"])
    def arrive(self, request: Request, pk: str) -> Response:
        return self._run(
            request,
            s.ArrivalInput,
            lambda a, pk, v: services.record_arrival(
                request.user, a, pk, version=v.validated_data["version"], arrived_on=v.validated_data["arrived_on"]
            ),
        )

    @_step("Inskrivning på Arbetsförmedlingen", s.AFRegistrationInput)
    @action(detail=True, methods=["post"], url_path="af-registration")
    def af_registration(self, request: Request, pk: str) -> Response:
        return self._run(
            request,
            s.AFRegistrationInput,
            lambda a, pk, v: services.record_af_registration(
                request.user,
                a,
                pk,
                version=v.validated_data["version"],
                registered=v.validated_data["registered"],
                registered_on=v.validated_data.get("registered_on"),
            ),
        )

    @_step("Signera information vid inskrivning", s.InformationInput)
    @action(detail=True, methods=["post"])
    def information(self, request: Request, pk: str) -> Response:
        return self._run(
            request,
            s.InformationInput,
            lambda a, pk, v: services.sign_off_information(
                request.user,
                a,
                pk,
                version=v.validated_data["version"],
                rights=v.validated_data["informed_rights"],
                duty=v.validated_data["informed_duty"],
                consequences=v.validated_data["informed_consequences"],
                signed_on=v.validated_data["signed_on"],
            ),
        )

    @_step("Jobbgaranti: erbjudande lämnat", s.JobGuaranteeInput)
    @action(detail=True, methods=["post"], url_path="job-guarantee-offer")
    def job_guarantee_offer(self, request: Request, pk: str) -> Response:
        return self._run(
            request,
            s.JobGuaranteeInput,
            lambda a, pk, v: services.record_job_guarantee_offer(
                request.user,
                a,
                pk,
                version=v.validated_data["version"],
                offered_on=v.validated_data["offered_on"],
                text=v.validated_data["text"],
            ),
        )

    @_step("Avbrott", s.InterruptInput)
    @action(detail=True, methods=["post"])
    def interrupt(self, request: Request, pk: str) -> Response:
        return self._run(
            request,
            s.InterruptInput,
            lambda a, pk, v: services.interrupt(
                request.user,
                a,
                pk,
                version=v.validated_data["version"],
                start=v.validated_data["start_date"],
                reason=v.validated_data["reason"],
                reason_text=v.validated_data["reason_text"],
            ),
        )

    @_step("Nystart efter avbrott", s.RestartInput)
    @action(detail=True, methods=["post"])
    def restart(self, request: Request, pk: str) -> Response:
        return self._run(
            request,
            s.RestartInput,
            lambda a, pk, v: services.restart(
                request.user, a, pk, version=v.validated_data["version"], on=v.validated_data["end_date"]
            ),
        )

    @_step("Avsluta med orsak och resultat", s.CloseInput)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        return self._run(
            request,
            s.CloseInput,
            lambda a, pk, v: services.close(
                request.user,
                a,
                pk,
                version=v.validated_data["version"],
                closed_on=v.validated_data["closed_on"],
                outcome=v.outcome(),
                end_activities=end_activities_at_closure,
            ),
        )

    @_step("Uppföljning 2 eller 8 månader efter avslut", s.FollowUpInput)
    @action(detail=True, methods=["post"], url_path=r"followups/(?P<point>2_months|8_months)")
    def followup(self, request: Request, pk: str, point: str) -> Response:
        def call(a: Actor, pk: int, v: Any) -> Any:
            item = PostClosureFollowUp.objects.filter(participation_id=pk, point=point).only("pk").first()
            if item is None:
                record(a, Action.CHANGE, _what(request, "uppföljning"), None, allowed=False)
                raise AccessDenied()
            return services.record_followup(
                request.user,
                a,
                item.pk,
                version=v.validated_data["version"],
                reduction_kr=v.validated_data.get("assistance_reduction_kr"),
                sustained=v.validated_data["outcome_sustained"],
                note=v.validated_data["note"],
            )

        return self._run(request, s.FollowUpInput, call)


def register(router) -> None:
    router.register("participations", ParticipationViewSet, basename="participation")
