"""Persons through the API, with exactly the UI's access rules and audit entries.

- list/search: only `visible_persons(user)`; each person on the returned page gets
  an audit entry (LIST, or SEARCH when `q` is given) through `log_listed`.
- retrieve: `open_person` decides and logs (READ, allowed or refused); a refusal is
  the same 404 as a person that does not exist.
- create / partial update: `people.services.create_person` / `update_person`, which
  validate, lock optimistically and write the CREATE/CHANGE entry. A stale `version`
  gives 409. A PATCH may raise `protection_level` but not lower it (403, in Swedish).
- lower-protection: `people.services.lower_protection` (unit manager, data-protection
  officer; reason required). The answer holds the id, level and version only.

Roles without person access (analyst, HR, system administrator) get an empty list and
404 on every person.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from jobbtorg.access.policy import check_person, visible_persons
from jobbtorg.access.services import log_listed, open_person
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core.api import NOT_FOUND_MESSAGE, Pagination, SafeJSONParser
from jobbtorg.core.errors import AccessDenied

# The UI's search parsing and scoping, so the API and the search page can not disagree.
from jobbtorg.people import selectors, serializers
from jobbtorg.people import services as person_services
from jobbtorg.people.models import Person

TOO_SHORT_MESSAGE = "Skriv minst två bokstäver av namnet, eller ett personnummer."
CREATE_REFUSED_MESSAGE = "Du har inte behörighet att registrera personer."
LOWERING_REFUSED_DESCRIPTION = (
    "Bara enhetschefen eller dataskyddsansvarig får sänka eller ta bort skyddsnivån; andra får höja den."
)

ERROR_400 = OpenApiResponse(description="Felaktiga uppgifter: fältfel på svenska.")
ERROR_404 = OpenApiResponse(description="Personen finns inte, eller du har ingen relation till personen.")


def _person_id(raw: str) -> int:
    """The id from the URL; anything that is not a bigint is a 404 (no person was asked for)."""
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        raise NotFound(NOT_FOUND_MESSAGE)
    return int(raw)


def _what(request: Request, group: str) -> str:
    """The audit entry's 'what': endpoint and data group (never the search term)."""
    return f"API {request.method} {request.path} · {group}"


def _searched(request: Request, q: str) -> QuerySet[Person]:
    """The UI's person search (same parsing, same scope), or a 400 saying what to fix."""
    query = selectors.parse_search(q)
    if query.kind == "too_short":
        raise DRFValidationError({"q": [TOO_SHORT_MESSAGE]})
    if query.kind == "invalid":
        raise DRFValidationError({"q": [query.error]})
    return selectors.search_persons(request.user, query)


@extend_schema_view(
    list=extend_schema(
        summary="Personer du har behörighet till",
        description=(
            "Bara personer du har en relation till (eget ärende, egen enhet, egen stadsdel, "
            "egen anordnare). Varje person i svaret loggas."
        ),
        parameters=[serializers.PersonFilterSerializer],
        responses={200: serializers.PersonSummarySerializer(many=True), 400: ERROR_400},
        tags=["personer"],
    ),
    retrieve=extend_schema(
        summary="En person",
        description="Läsningen loggas, även när den nekas. Nekad åtkomst ger 404 utan uppgifter.",
        responses={200: serializers.PersonSerializer, 404: ERROR_404},
        tags=["personer"],
    ),
    create=extend_schema(
        summary="Registrera en person",
        request=serializers.PersonCreateSerializer,
        responses={
            201: serializers.PersonSerializer,
            400: ERROR_400,
            403: OpenApiResponse(description=CREATE_REFUSED_MESSAGE),
        },
        tags=["personer"],
    ),
    partial_update=extend_schema(
        summary="Ändra en person",
        description=(
            "Skicka med `version` från din senaste läsning; har någon annan ändrat personen blir svaret 409. "
            "Skyddsnivån kan bara höjas här: att sänka den ger 403 (se lower-protection)."
        ),
        request=serializers.PersonUpdateSerializer,
        responses={
            200: serializers.PersonSerializer,
            400: ERROR_400,
            403: OpenApiResponse(description=LOWERING_REFUSED_DESCRIPTION),
            404: ERROR_404,
            409: OpenApiResponse(description="Någon annan har ändrat personen sedan du läste den."),
        },
        tags=["personer"],
    ),
)
class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    capability_refused_messages = {"create": CREATE_REFUSED_MESSAGE}
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "list": "people.reach",
        "retrieve": "people.reach",
        "create": "people.reach",
        "update": "people.reach",
        "partial_update": "people.reach",
        "lower_protection": "people.protection",
    }
    pagination_class = Pagination
    # JSON only: the browsable renderer would read the person again to build its forms.
    renderer_classes = [JSONRenderer]
    parser_classes = [SafeJSONParser]
    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = serializers.PersonSerializer

    def get_queryset(self) -> QuerySet[Person]:
        return visible_persons(self.request.user).select_related("home_district").order_by("last_name", "first_name", "id")

    def get_object(self) -> Person:
        """Any generic code path that fetches "the object" goes through open_person too
        (checked and logged), never through a bare queryset lookup."""
        person, _ = open_person(
            self.request.user,
            Actor.from_request(self.request),
            _person_id(self.kwargs["pk"]),
            _what(self.request, "personuppgifter"),
        )
        return person

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = serializers.PersonFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        q = params.validated_data.get("q", "").strip()
        qs = _searched(request, q) if q else self.get_queryset()
        page = self.paginate_queryset(qs)
        assert page is not None  # Pagination always has a default limit
        log_listed(
            Actor.from_request(request),
            _what(request, "grunduppgifter"),
            page,
            action=Action.SEARCH if q else Action.LIST,
        )
        return self.get_paginated_response(serializers.PersonSummarySerializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person, decision = open_person(
            request.user, Actor.from_request(request), _person_id(kwargs["pk"]), _what(request, "personuppgifter")
        )
        return Response(self._represent(person, decision.see_contact_details))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = serializers.PersonCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            person = person_services.create_person(
                request.user, Actor.from_request(request), dict(serializer.validated_data), what=_what(request, "registrering")
            )
        except AccessDenied as exc:
            raise PermissionDenied(CREATE_REFUSED_MESSAGE) from exc
        decision = check_person(request.user, person)
        return Response(
            self._represent(person, decision.allowed and decision.see_contact_details), status=status.HTTP_201_CREATED
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not kwargs.get("partial"):
            raise NotFound(NOT_FOUND_MESSAGE)  # PUT is not offered (http_method_names)
        serializer = serializers.PersonUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected_version = data.pop("version")
        actor = Actor.from_request(request)
        what = _what(request, "ändring av grunduppgifter")
        person = Person.objects.select_related("home_district").filter(pk=_person_id(kwargs["pk"])).first()
        if person is None:
            # Logged like open_person logs a missing person; the answer equals a refusal.
            record(actor, Action.CHANGE, what, None, allowed=False)
            raise AccessDenied()
        # update_person checks the relation and the role, and logs the change or the refusal.
        try:
            person = person_services.update_person(request.user, actor, person, data, expected_version, what=what)
        except person_services.LoweringRefused as exc:
            # The editor knows the person already: say why, rather than the 404 of no relation.
            raise PermissionDenied(person_services.lowering_refused_message()) from exc
        decision = check_person(request.user, person)
        return Response(self._represent(person, decision.allowed and decision.see_contact_details))

    @extend_schema(
        summary="Sänk eller ta bort en persons skyddsnivå",
        description=(
            "Bara enhetschefen (för en person med deltagande på enheten) och dataskyddsansvarig. "
            "Skälet krävs. Ändringen markeras i loggranskningen och namngiven personal och coachen "
            "får ett meddelande. Svaret innehåller inga personuppgifter."
        ),
        request=serializers.LowerProtectionSerializer,
        responses={
            200: serializers.ProtectionLevelSerializer,
            400: ERROR_400,
            403: OpenApiResponse(description=LOWERING_REFUSED_DESCRIPTION),
            404: ERROR_404,
            409: OpenApiResponse(description="Någon annan har ändrat personen sedan du läste den."),
        },
        tags=["personer"],
    )
    @action(detail=True, methods=["post"], url_path="lower-protection")
    def lower_protection(self, request: Request, pk: str) -> Response:
        serializer = serializers.LowerProtectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actor = Actor.from_request(request)
        person = Person.objects.filter(pk=_person_id(pk)).first()
        if person is None:
            record(actor, Action.ACCESS, person_services.WHAT_LOWER_REFUSED, None, allowed=False)
            raise AccessDenied()
        try:
            person = person_services.lower_protection(
                request.user, actor, person, data["protection_level"], data["reason"], data["version"]
            )
        except AccessDenied as exc:
            if check_person(request.user, person).allowed:
                # Someone with a relation (a coach): say why. Without one, the same 404 as a missing person.
                raise PermissionDenied(person_services.lowering_refused_message()) from exc
            raise
        return Response(serializers.ProtectionLevelSerializer(person).data)

    def _represent(self, person: Person, see_contact_details: bool) -> dict[str, Any]:
        return serializers.PersonSerializer(person, context={"see_contact_details": see_contact_details}).data


def register(router) -> None:
    router.register("persons", PersonViewSet, basename="person")
