"""Capabilities (issue 9 item 1, ADR 0013): every endpoint declares who may use it, and the
declaration is what refuses, on the real HTTP stack.

The URL walk finds every web view and every API action; each must name a capability from an
app's `rules.CAPABILITIES`, or be on the short public list below. Then every endpoint is called
by a user of every role: a role outside the capability's row is refused there (a 403, or the
404 of a page that hides that it exists) with a refused audit entry naming the capability; a
role inside it is never refused by the capability check.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.views import LogoutView
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from jobbtorg.accounts.models import Role
from jobbtorg.accounts.views import LoginView
from jobbtorg.audit.models import AuditEntry, Outcome
from jobbtorg.core import capabilities
from jobbtorg.core.api import ApiDocsView, api_not_found
from jobbtorg.core.api_permissions import HasCapability
from jobbtorg.core.capabilities import ALL, DISTRICT, HOME_DISTRICT, OWN, PROVIDER, PUBLIC, UNIT, Can, holds, may, requires
from jobbtorg.testing.factories import UserFactory

# Endpoints that need no capability, and why: signing in and out and choosing the language come
# before any role; the API schema and its docs page describe the API, not its data; an unknown
# API path answers a JSON 404. Nothing else may be added here without a reason.
PUBLIC_VIEWS: dict[Any, str] = {
    LoginView: "signing in comes before any role",
    LogoutView: "signing out",
    set_language: "choosing the language",
    SpectacularAPIView: "the OpenAPI schema (names no data)",
    ApiDocsView: "the API documentation page",
    api_not_found: "an unknown API path: a JSON 404",
}

TRAITS = {
    Role.COACH: "coach",
    Role.SOCIAL_WORKER: "social_worker",
    Role.OSA_OFFICER: "osa_officer",
    Role.MATCHER: "matcher",
    Role.PROVIDER_STAFF: "provider_staff",
    Role.UNIT_MANAGER: "unit_manager",
    Role.ANALYST: "analyst",
    Role.HR: "hr",
    Role.SYSADMIN: "sysadmin",
}


@dataclass(frozen=True)
class Endpoint:
    path: str
    method: str
    capability: str  # PUBLIC or "<app>.<capability>"
    label: str


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if getattr(pattern, "app_name", None) == "admin":
                continue  # the admin has its own rule: the system administrator (accounts.admin)
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _sample_path(route: str) -> str:
    """A concrete path for a route: ids that exist nowhere, a valid choice for alternatives."""
    path = re.sub(r"<int:\w+>", "999999", route)
    path = re.sub(r"<slug:\w+>", "x", path)
    path = re.sub(r"\(\?P<\w+>\[0-9\][^)]*\)", "999999", path)
    path = re.sub(r"\(\?P<\w+>([\w]+)\|[^)]*\)", r"\1", path)
    path = re.sub(r"\(\?P<\w+>\[\^/\.\]\+\)", "999999", path)
    path = path.replace("^", "").replace("$", "")
    return "/" + path


def _view_class(callback: Any) -> Any:
    return getattr(callback, "cls", None) or getattr(callback, "view_class", None)


def endpoints() -> list[Endpoint]:
    """Every web view and API action with the capability it declares (None: undeclared)."""
    found: list[Endpoint] = []
    for route, pattern in _patterns(get_resolver()):
        callback = pattern.callback
        cls = _view_class(callback)
        path = _sample_path(route)
        if callback in PUBLIC_VIEWS or cls in PUBLIC_VIEWS:
            found.append(Endpoint(path, "GET", PUBLIC, route))
            continue
        if cls is not None and issubclass(cls, APIView):
            table = getattr(cls, "required_capabilities", {})
            actions = getattr(callback, "actions", None) or {
                m: m for m in ("get", "post", "put", "patch", "delete") if hasattr(cls, m)
            }
            for method, action in actions.items():
                found.append(Endpoint(path, method.upper(), table.get(action), f"{route} {method} ({action})"))
            continue
        found.append(Endpoint(path, "GET", getattr(callback, "required_capability", None), route))
    return found


def test_every_url_and_api_action_declares_a_known_capability():
    """Issue 9 item 1: a new endpoint cannot be reached until someone says who may use it."""
    known = set(capabilities.registry())
    undeclared = [e.label for e in endpoints() if e.capability is None]
    unknown = [f"{e.label}: {e.capability}" for e in endpoints() if e.capability not in known | {PUBLIC}]
    assert undeclared == []
    assert unknown == []
    assert len(endpoints()) > 150  # the walk reached the whole URL map, web and API


def test_the_api_refuses_by_default():
    """The permission class is the API's default: it refuses with the capability check."""
    from django.conf import settings

    assert settings.REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] == ["jobbtorg.core.api_permissions.HasCapability"]
    for route, pattern in _patterns(get_resolver()):
        cls = _view_class(pattern.callback)
        if cls is None or not issubclass(cls, APIView) or cls in PUBLIC_VIEWS:
            continue
        assert HasCapability in cls.permission_classes, route


@pytest.mark.django_db
def test_an_api_view_without_a_declaration_is_refused():
    class Undeclared(APIView):
        def get(self, request: Any) -> Any:  # pragma: no cover - never reached
            raise AssertionError("reached")

    request = APIRequestFactory().get("/api/v1/undeclared/")
    force_authenticate(request, user=UserFactory(coach=True))
    response = Undeclared.as_view()(request)
    assert response.status_code == 403
    assert AuditEntry.objects.filter(outcome=Outcome.REFUSED, what__contains="(undeclared: get)").exists()


def test_scopes_compare_the_users_place_with_the_objects():
    """The scope vocabulary: unit, district, home district, own caseload, provider; a missing fact denies."""
    user = SimpleNamespace(pk=7, jobbtorg_unit_id=1, district_id=2, provider_id=3)
    allows = capabilities.scope_allows
    assert allows(ALL, user, {})
    assert allows(UNIT, user, {"unit_id": 1}) and not allows(UNIT, user, {"unit_id": 9})
    assert allows(DISTRICT, user, {"district_id": 2}) and not allows(DISTRICT, user, {"home_district_id": 2})
    assert allows(HOME_DISTRICT, user, {"home_district_id": 2}) and not allows(HOME_DISTRICT, user, {"district_id": 2})
    assert allows(OWN, user, {"coach_id": 7}) and not allows(OWN, user, {"coach_id": 8})
    assert allows(PROVIDER, user, {"provider_id": 3}) and not allows(PROVIDER, user, {"provider_id": None})
    assert allows((OWN, UNIT), user, {"coach_id": 8, "unit_id": 1})
    assert not allows(None, user, {"unit_id": 1})
    assert not allows(UNIT, SimpleNamespace(pk=7, jobbtorg_unit_id=None), {"unit_id": None})


@pytest.mark.django_db
def test_the_deviation_rule_is_the_home_districts_social_worker():
    """DOMAIN §6 (avvikelser go to the district): one capability, decided by the deviation's district."""
    worker = UserFactory(social_worker=True)
    coach = UserFactory(coach=True)
    assert may(worker, "activities.acknowledge_deviation", district_id=worker.district_id)
    assert not may(worker, "activities.acknowledge_deviation", district_id=worker.district_id + 1)
    assert not may(coach, "activities.acknowledge_deviation", district_id=worker.district_id)


@pytest.mark.django_db
def test_plans_and_assessments_share_one_casework_rule():
    """The participation's coach, or a coach at its unit, edits plans, assessments and activities (DOMAIN §4.3, §4.4)."""
    coach = UserFactory(coach=True)
    manager = UserFactory(unit_manager=True, jobbtorg_unit=coach.jobbtorg_unit)
    for name in ("plans.edit", "assessments.edit", "activities.manage"):
        assert may(coach, name, unit_id=coach.jobbtorg_unit_id, coach_id=None)
        assert may(coach, name, unit_id=-1, coach_id=coach.pk)
        assert not may(coach, name, unit_id=-1, coach_id=None)
        assert not may(manager, name, unit_id=coach.jobbtorg_unit_id, coach_id=manager.pk)


@pytest.mark.django_db
def test_an_inactive_or_anonymous_user_holds_nothing():
    from django.contrib.auth.models import AnonymousUser

    inactive = UserFactory(coach=True, is_active=False)
    assert not holds(inactive, "web.start")
    assert not holds(AnonymousUser(), "web.start")


def test_an_undeclared_name_is_an_error():
    with pytest.raises(KeyError):
        holds(SimpleNamespace(is_authenticated=True, is_active=True, role=Role.COACH), "participations.fly")


@pytest.mark.django_db
def test_templates_ask_can_from_the_same_table():
    coach = UserFactory(coach=True)
    worker = UserFactory(social_worker=True)
    assert Can(coach).participations.close is True
    assert Can(worker).participations.close is False
    assert Can(worker)["plans"]["decide"] is True
    from django.template import Context, Template

    template = Template("{% if can.audit.review %}review{% endif %}{% if can.plans.decide %}decide{% endif %}")
    assert template.render(Context({"can": Can(worker)})) == "decide"


@pytest.mark.django_db
def test_the_requires_decorator_refuses_and_records():
    @requires("audit.review")
    def view(request: Any) -> str:
        return "reached"

    request = RequestFactory().get("/probe/")
    request.user = UserFactory(coach=True)
    with pytest.raises(PermissionDenied):
        view(request)
    assert view.required_capability == "audit.review"  # type: ignore[attr-defined]
    entry = AuditEntry.objects.get(what__endswith="· audit.review")
    assert entry.outcome == Outcome.REFUSED and entry.person_id is None
    request.user = UserFactory(sysadmin=True)
    assert view(request) == "reached"


def _refused_by_capability(user: Any, endpoint: Endpoint) -> bool:
    return AuditEntry.objects.filter(
        user_id=user.pk, outcome=Outcome.REFUSED, what=f"{endpoint.method} {endpoint.path} · {endpoint.capability}"
    ).exists()


@pytest.mark.django_db
def test_every_endpoint_refuses_exactly_the_roles_outside_its_capability(settings):
    """Table-driven over the whole URL map and every role, through the middleware, the URL map
    and DRF: a role outside the capability's row is refused at the endpoint (403, or 404 where the
    page hides that it exists) and the refusal is in the audit log; a role inside it passes the
    check (what follows is the object's own access, here a 404 for an id that does not exist)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    users = {role: UserFactory(**{trait: True}) for role, trait in TRAITS.items()}
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    checked = 0
    for endpoint in endpoints():
        if endpoint.capability in (None, PUBLIC):
            continue
        holders = [role for role, user in users.items() if holds(user, endpoint.capability)]
        # Every role outside the row; one inside it (the others pass the same check).
        for role in [r for r in users if r not in holders] + holders[:1]:
            user = users[role]
            refusals_before = AuditEntry.objects.filter(user_id=user.pk, outcome=Outcome.REFUSED).count()
            response = clients[role].generic(endpoint.method, endpoint.path)
            if role in holders:
                assert not _refused_by_capability(user, endpoint), f"{role} refused {endpoint.label}"
                assert response.status_code != 500, f"{role} {endpoint.label}"
            else:
                refused = _refused_by_capability(user, endpoint)
                if endpoint.capability == "audit.review":  # the log review's refusal names the page (audit.views)
                    refused = AuditEntry.objects.filter(user_id=user.pk, outcome=Outcome.REFUSED).count() > refusals_before
                assert refused, f"{role} not refused {endpoint.label} ({response.status_code})"
                assert response.status_code in (403, 404), f"{role} {endpoint.label}: {response.status_code}"
            checked += 1
    assert checked > 500
