"""API for the catalogue, activities, sessions, attendance and deviations (/api/v1/).

The same services as the web pages: same rules, same Swedish messages (400 with
field errors), same audit entries; a stale `version` gives 409; a person the
user may not see gives the same 404 as one that does not exist.

Who may use what:

- GET catalogue-items/: any signed-in user (the offer catalogue is not personal data).
- activities/ (GET, POST), activities/{id}/ (GET, PATCH), activities/{id}/followup/ (POST):
  reading for anyone who may see the person (provider staff: their own provider's
  activities); writing for coaches of the participant's Jobbtorg unit.
- activity-sessions/ (GET, POST), activity-sessions/{id}/ (GET),
  activity-sessions/{id}/attendance/ (POST, the whole group at once), attendance/
  (GET, POST one day), attendance/{id}/ (GET, PATCH), attendance/missing/ (GET):
  the participant's coach, the coach hosting a group session, the activity's provider
  staff. Missing means a session with no registration, never absence.
- deviations/ (GET), deviations/{id}/ (GET), deviations/{id}/acknowledge/ (POST):
  social workers of the participation's home district.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from jobbtorg.access.services import log_listed, open_person
from jobbtorg.activities import selectors, serializers, services
from jobbtorg.activities.models import Activity, ActivitySession, Attendance, CatalogueItem, Deviation
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core.api import NOT_FOUND_MESSAGE, Pagination
from jobbtorg.core.errors import AccessDenied
from jobbtorg.participations.models import Participation

# Ids are bigints: longer digit strings never reach the database (they 404 at the router).
ID_PATTERN = r"[0-9]{1,18}"

ERROR_400 = OpenApiResponse(description="Felaktiga uppgifter: fältfel på svenska. Ingenting sparades.")
ERROR_404 = OpenApiResponse(description="Finns inte, eller du har ingen relation till personen.")
ERROR_409 = OpenApiResponse(description="Någon annan har ändrat uppgifterna sedan du läste dem (version).")


def _what(request: Request, group: str) -> str:
    return f"API {request.method} {request.path} · {group}"


class Base(viewsets.GenericViewSet):
    pagination_class = Pagination
    lookup_value_regex = ID_PATTERN
    renderer_classes = [JSONRenderer]

    def _actor(self) -> Actor:
        return Actor.from_request(self.request)


@extend_schema_view(
    list=extend_schema(summary="Utbudet", tags=["insatser"]),
    retrieve=extend_schema(summary="En insats i utbudet", tags=["insatser"]),
)
class CatalogueItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Base):
    """The offer catalogue (DOMAIN §5). Edited by the administrator in the admin."""
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "list": "activities.catalogue",
        "retrieve": "activities.catalogue",
    }

    serializer_class = serializers.CatalogueItemSerializer

    def get_queryset(self) -> QuerySet[CatalogueItem]:
        return CatalogueItem.objects.prefetch_related("providers").order_by("category", "name", "id")


def _load_activity(request: Request, pk: Any, what: str) -> Activity:
    activity = (
        Activity.objects.select_related("participation__person", "participation__home_district", "catalogue_item", "provider")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    user = request.user
    if not selectors.shows_activity(user, activity):
        raise NotFound(NOT_FOUND_MESSAGE)
    open_person(request.user, Actor.from_request(request), activity.participation.person_id, _what(request, what))
    return activity


@extend_schema_view(
    list=extend_schema(
        summary="Insatser du har behörighet till", tags=["insatser"], responses={200: serializers.ActivitySerializer(many=True)}
    ),
    retrieve=extend_schema(
        summary="En insats", tags=["insatser"], responses={200: serializers.ActivitySerializer, 404: ERROR_404}
    ),
    create=extend_schema(
        summary="Ny insats",
        tags=["insatser"],
        request=serializers.ActivityCreateSerializer,
        description="Start- och slutdatum krävs; slutdatum får inte vara före startdatum. Platser och anordnare kontrolleras.",
        responses={201: serializers.ActivitySerializer, 400: ERROR_400, 404: ERROR_404},
    ),
    partial_update=extend_schema(
        summary="Ändra en insats",
        tags=["insatser"],
        request=serializers.ActivityUpdateSerializer,
        responses={200: serializers.ActivitySerializer, 400: ERROR_400, 404: ERROR_404, 409: ERROR_409},
    ),
)
class ActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, Base):
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "list": "activities.read",
        "retrieve": "activities.read",
        "create": "activities.manage",
        "update": "activities.manage",
        "partial_update": "activities.manage",
        "followup": "activities.manage",
    }
    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = serializers.ActivitySerializer

    def get_queryset(self) -> QuerySet[Activity]:
        return (
            selectors.with_attendance_counts(selectors.visible_activities(self.request.user))
            .prefetch_related("followups")
            .order_by("-start_date", "-id")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        for activity in page:
            activity.rate = selectors.rate_of(activity)
        log_listed(self._actor(), _what(request, "insatser"), [a.participation.person for a in page])
        return self.get_paginated_response(serializers.ActivitySerializer(page, many=True).data)

    def _represent(self, activity: Activity) -> dict[str, Any]:
        activity.rate = selectors.attendance_rate(activity)  # type: ignore[attr-defined]
        return serializers.ActivitySerializer(activity).data

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self._represent(_load_activity(request, kwargs["pk"], "insats")))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        inp = serializers.ActivityCreateSerializer(data=request.data)
        inp.is_valid(raise_exception=True)
        data = inp.validated_data
        participation = Participation.objects.select_related("person").filter(pk=data["participation"]).first()
        if participation is None:
            raise AccessDenied()
        activity = services.create_activity(
            request.user,
            self._actor(),
            participation,
            services.ActivityData(
                catalogue_item=data["catalogue_item"],
                provider=data.get("provider"),
                start_date=data.get("start_date"),
                end_date=data.get("end_date"),
                location=data["location"],
                description=data["description"],
            ),
        )
        return Response(self._represent(activity), status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not kwargs.get("partial"):
            raise NotFound(NOT_FOUND_MESSAGE)
        inp = serializers.ActivityUpdateSerializer(data=request.data)
        inp.is_valid(raise_exception=True)
        data = inp.validated_data
        activity = _load_activity(request, kwargs["pk"], "ändra insats")
        services.update_activity(
            request.user,
            self._actor(),
            activity,
            services.ActivityData(
                catalogue_item=activity.catalogue_item,
                provider=data["provider"] if "provider" in data else activity.provider,
                start_date=data.get("start_date", activity.start_date),
                end_date=data.get("end_date", activity.end_date),
                location=data.get("location", activity.location),
                description=data.get("description", activity.description),
            ),
            data["version"],
        )
        return Response(self._represent(activity))

    @extend_schema(
        summary="Följ upp en insats",
        tags=["insatser"],
        request=serializers.ActivityFollowUpInputSerializer,
        description="Resultat och beslut: continue (nytt slutdatum), replace (ny kopplad insats i `successor`) eller end.",
        responses={200: serializers.ActivitySerializer, 400: ERROR_400, 404: ERROR_404, 409: ERROR_409},
    )
    @action(detail=True, methods=["post"])
    def followup(self, request: Request, pk: Any = None) -> Response:
        inp = serializers.ActivityFollowUpInputSerializer(data=request.data)
        inp.is_valid(raise_exception=True)
        data = inp.validated_data
        activity = _load_activity(request, pk, "uppföljning")
        successor = None
        if data.get("successor"):
            s = data["successor"]
            successor = services.ActivityData(
                catalogue_item=s["catalogue_item"],
                provider=s.get("provider"),
                start_date=s.get("start_date"),
                end_date=s.get("end_date"),
                location=s["location"],
                description=s["description"],
            )
        services.follow_up(
            request.user,
            self._actor(),
            activity,
            services.FollowUpData(
                followed_up_on=data.get("followed_up_on"),
                result=data["result"],
                decision=data["decision"] or None,
                new_end_date=data.get("new_end_date"),
                successor=successor,
            ),
            data["version"],
        )
        return Response(self._represent(activity))


def _visible_sessions(request: Request) -> QuerySet[ActivitySession]:
    activities = selectors.visible_activities(request.user).values("pk")
    return ActivitySession.objects.filter(
        pk__in=Attendance.objects.filter(activity__in=activities).values("session_id")
    ).select_related("catalogue_item")


@extend_schema_view(
    list=extend_schema(summary="Tillfällen", tags=["närvaro"], responses={200: serializers.ActivitySessionSerializer(many=True)}),
    retrieve=extend_schema(
        summary="Ett tillfälle med närvaro per deltagare",
        tags=["närvaro"],
        responses={200: serializers.ActivitySessionDetailSerializer, 404: ERROR_404},
    ),
    create=extend_schema(
        summary="Planera tillfällen",
        tags=["närvaro"],
        request=serializers.ActivitySessionCreateSerializer,
        description=(
            "Ett tillfälle (eller ett per vald veckodag till och med `last_date`) för en insats, eller ett grupptillfälle "
            "för flera deltagares insatser med samma insats i utbudet och samma anordnare. Dagar utanför insatsens "
            "period nekas och ingenting sparas."
        ),
        responses={201: serializers.ActivitySessionSerializer(many=True), 400: ERROR_400, 404: ERROR_404},
    ),
)
class SessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, Base):
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "list": "activities.read",
        "retrieve": "activities.read",
        "create": "activities.register_attendance",
        "attendance": "activities.register_attendance",
    }
    serializer_class = serializers.ActivitySessionSerializer

    def get_queryset(self) -> QuerySet[ActivitySession]:
        return _visible_sessions(self.request).order_by("-date", "-id")

    def _session(self, pk: Any) -> tuple[ActivitySession, list[Attendance]]:
        session = ActivitySession.objects.select_related("catalogue_item").filter(pk=pk).first()
        if session is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        rows = list(selectors.session_rows(self.request.user, session))
        if not rows:
            raise NotFound(NOT_FOUND_MESSAGE)
        log_listed(self._actor(), _what(self.request, "närvaro"), [r.activity.participation.person for r in rows])
        return session, rows

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        session, rows = self._session(kwargs["pk"])
        return Response(serializers.ActivitySessionDetailSerializer(session, context={"rows": rows}).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        inp = serializers.ActivitySessionCreateSerializer(data=request.data)
        inp.is_valid(raise_exception=True)
        data = inp.validated_data
        ids = list(dict.fromkeys(data["activities"]))
        activities = list(Activity.objects.filter(pk__in=ids).select_related("participation__person", "catalogue_item"))
        if len(activities) != len(ids):
            raise AccessDenied()
        sessions = services.plan_sessions(
            request.user,
            self._actor(),
            activities,
            services.SessionPlan(
                date=data["date"],
                last_date=data.get("last_date"),
                weekdays=data["weekdays"],
                start_time=data.get("start_time"),
                end_time=data.get("end_time"),
                group=data["group"],
            ),
        )
        return Response(serializers.ActivitySessionSerializer(sessions, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Registrera närvaro för hela tillfället",
        tags=["närvaro"],
        request=serializers.AttendanceBulkSerializer,
        description=(
            "En rad per deltagare: `status` present, absent (med `absence_reason` sick, child_sick, appointment, "
            "unexcused, other) eller non_cooperation. Allt eller inget: ett fel på en rad sparar ingenting och "
            "svaret har fel per rad i `rows`. Ogiltig frånvaro och bristande medverkan skapar en avvikelse till "
            "hemstadsdelen."
        ),
        responses={200: serializers.AttendanceSerializer(many=True), 400: ERROR_400, 404: ERROR_404, 409: ERROR_409},
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, pk: Any = None) -> Response:
        inp = serializers.AttendanceBulkSerializer(data=request.data)
        inp.is_valid(raise_exception=True)
        session, _rows = self._session(pk)
        rows = inp.validated_data["rows"]
        registrations = [
            services.Registration(
                attendance_id=r["attendance"],
                status=r.get("status") or None,
                absence_reason=r.get("absence_reason", ""),
                note=r.get("note", ""),
                version=r.get("version"),
            )
            for r in rows
        ]
        try:
            services.register_group(request.user, self._actor(), session, registrations)
        except services.GroupRegistrationError as exc:
            raise DRFValidationError({"rows": [exc.row_errors.get(r["attendance"], {}) for r in rows]}) from exc
        _session, fresh = self._session(pk)
        return Response(serializers.AttendanceSerializer(fresh, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Närvaro", tags=["närvaro"], responses={200: serializers.AttendanceSerializer(many=True)}),
    retrieve=extend_schema(
        summary="En närvaroregistrering", tags=["närvaro"], responses={200: serializers.AttendanceSerializer, 404: ERROR_404}
    ),
    create=extend_schema(
        summary="Registrera närvaro för en deltagare en dag",
        tags=["närvaro"],
        request=serializers.AttendanceDaySerializer,
        description="Dagen måste ligga inom insatsens period och får inte vara i framtiden; annars 400 och ingenting sparas.",
        responses={201: serializers.AttendanceSerializer, 400: ERROR_400, 404: ERROR_404},
    ),
    partial_update=extend_schema(
        summary="Registrera eller rätta närvaro",
        tags=["närvaro"],
        request=serializers.AttendanceRegistrationSerializer,
        responses={200: serializers.AttendanceSerializer, 400: ERROR_400, 404: ERROR_404, 409: ERROR_409},
    ),
)
class AttendanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, Base):
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "list": "activities.read",
        "retrieve": "activities.read",
        "create": "activities.register_attendance",
        "update": "activities.register_attendance",
        "partial_update": "activities.register_attendance",
        "missing": "activities.register_attendance",
    }
    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = serializers.AttendanceSerializer

    def get_queryset(self) -> QuerySet[Attendance]:
        qs = Attendance.objects.filter(activity__in=selectors.visible_activities(self.request.user).values("pk"))
        return qs.select_related("activity__participation__person", "deviation").order_by("-date", "-id")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        qs = self.get_queryset()
        for name in ("activity", "session"):
            value = request.query_params.get(name)
            if value is not None:
                if not value.isdigit() or len(value) > 18:
                    raise DRFValidationError({name: ["Ange ett id (heltal)."]})
                qs = qs.filter(**{f"{name}_id": int(value)})
        page = self.paginate_queryset(qs)
        assert page is not None
        log_listed(self._actor(), _what(request, "närvaro"), [a.activity.participation.person for a in page])
        return self.get_paginated_response(serializers.AttendanceSerializer(page, many=True).data)

    def _attendance(self, pk: Any) -> Attendance:
        attendance = self.get_queryset().select_related("session").filter(pk=pk).first()
        if attendance is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        return attendance

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        attendance = self._attendance(kwargs["pk"])
        log_listed(self._actor(), _what(request, "närvaro"), [attendance.activity.participation.person])
        return Response(serializers.AttendanceSerializer(attendance).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        inp = serializers.AttendanceDaySerializer(data=request.data)
        inp.is_valid(raise_exception=True)
        data = inp.validated_data
        activity = _load_activity(request, data["activity"], "registrera närvaro")
        attendance = services.register_day(
            request.user,
            self._actor(),
            activity,
            data["date"],
            data.get("status") or None,
            data.get("absence_reason", ""),
            data.get("note", ""),
            expected_version=data.get("version"),  # a day registered again is corrected (version-locked)
        )
        return Response(serializers.AttendanceSerializer(self._attendance(attendance.pk)).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not kwargs.get("partial"):
            raise NotFound(NOT_FOUND_MESSAGE)
        inp = serializers.AttendanceRegistrationSerializer(data=request.data)
        inp.is_valid(raise_exception=True)
        data = inp.validated_data
        attendance = self._attendance(kwargs["pk"])
        services.register(
            request.user,
            self._actor(),
            attendance,
            services.Registration(
                attendance.pk,
                data.get("status") or None,
                data.get("absence_reason", ""),
                data.get("note", ""),
                data.get("version"),
            ),
        )
        return Response(serializers.AttendanceSerializer(self._attendance(attendance.pk)).data)

    @extend_schema(
        summary="Tillfällen utan registrering (Ej registrerad)",
        tags=["närvaro"],
        description="Din caseload (coach) eller din anordnares deltagare, till och med `date`. Ej registrerad är inte frånvaro.",
        parameters=[serializers.MissingAttendanceFilterSerializer],
        responses={200: serializers.AttendanceSerializer(many=True), 400: ERROR_400},
    )
    @action(detail=False, methods=["get"])
    def missing(self, request: Request) -> Response:
        params = serializers.MissingAttendanceFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        day = params.validated_data.get("date") or timezone.localdate()
        page = self.paginate_queryset(selectors.missing_registrations(request.user, day).select_related("deviation"))
        assert page is not None
        log_listed(self._actor(), _what(request, "ej registrerad närvaro"), [a.activity.participation.person for a in page])
        return self.get_paginated_response(serializers.AttendanceSerializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="Avvikelser till din stadsdel",
        tags=["avvikelser"],
        parameters=[serializers.DeviationFilterSerializer],
        description="Bara hemstadsdelens socialsekreterare. Utan `acknowledged` visas de som väntar på kvittens, äldst först.",
        responses={200: serializers.DeviationSerializer(many=True)},
    ),
    retrieve=extend_schema(
        summary="En avvikelse", tags=["avvikelser"], responses={200: serializers.DeviationSerializer, 404: ERROR_404}
    ),
)
class DeviationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Base):
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "list": "activities.acknowledge_deviation",
        "retrieve": "activities.acknowledge_deviation",
        "acknowledge": "activities.acknowledge_deviation",
    }
    serializer_class = serializers.DeviationSerializer

    def _inbox(self, acknowledged: bool) -> QuerySet[Deviation]:
        user = self.request.user
        if not user.district_id:  # the capability (required_capabilities) is checked before
            return Deviation.objects.none()
        return selectors.deviation_inbox(user.district, user, acknowledged=acknowledged)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = serializers.DeviationFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = self.paginate_queryset(self._inbox(params.validated_data["acknowledged"]))
        assert page is not None
        log_listed(self._actor(), _what(request, "avvikelser"), [d.participation.person for d in page])
        return self.get_paginated_response(serializers.DeviationSerializer(page, many=True).data)

    def _deviation(self, pk: Any) -> Deviation:
        deviation = (
            Deviation.objects.select_related(
                "participation__person", "district", "attendance__activity__catalogue_item", "appointment", "acknowledged_by"
            )
            .filter(pk=pk)
            .first()
        )
        if deviation is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        return deviation

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        deviation = self._deviation(kwargs["pk"])
        person = deviation.participation.person
        if not services.may_acknowledge_in(request.user, deviation):
            # Only the home district reads its reports: the refusal is audited, the answer a plain 404.
            record(
                self._actor(), Action.READ, _what(request, "avvikelse"), person.pk, allowed=False, protected=person.is_protected
            )
            raise AccessDenied()
        open_person(request.user, self._actor(), deviation.participation.person_id, _what(request, "avvikelse"))
        return Response(serializers.DeviationSerializer(deviation).data)

    @extend_schema(
        summary="Kvittera en avvikelse",
        tags=["avvikelser"],
        request=serializers.DeviationAcknowledgeSerializer,
        description="Bara hemstadsdelen. `district_note` är stadsdelens egen anteckning (Stadsdelens beslut/åtgärd).",
        responses={200: serializers.DeviationSerializer, 400: ERROR_400, 404: ERROR_404, 409: ERROR_409},
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: Any = None) -> Response:
        inp = serializers.DeviationAcknowledgeSerializer(data=request.data)
        inp.is_valid(raise_exception=True)
        deviation = self._deviation(pk)
        services.acknowledge_deviation(
            request.user, self._actor(), deviation, inp.validated_data["district_note"], inp.validated_data.get("version")
        )
        return Response(serializers.DeviationSerializer(self._deviation(pk)).data)


def register(router: Any) -> None:
    router.register("catalogue-items", CatalogueItemViewSet, basename="catalogue-item")
    router.register("activities", ActivityViewSet, basename="activity")
    router.register("activity-sessions", SessionViewSet, basename="activity-session")
    router.register("attendance", AttendanceViewSet, basename="attendance")
    router.register("deviations", DeviationViewSet, basename="deviation")
