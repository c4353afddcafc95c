"""Who may do what: one table per app, read by every endpoint, view and template (ADR 0013).

Each domain app declares `CAPABILITIES` in its pure `rules.py`:

    CAPABILITIES = {"close": {Role.COACH: UNIT, Role.UNIT_MANAGER: UNIT}}

collected here as "<app>.<capability>" ("participations.close"). A role missing from a
capability's row may not do it, anywhere. The scope says *which* objects the role may do it to:

| scope | the object must be |
| --- | --- |
| all | whatever access.policy lets the user see (no further condition) |
| unit | at the user's Jobbtorg unit (`unit_id`) |
| district | in the user's district (`district_id`, the object's own district) |
| home_district | of a person whose home district is the user's district (`home_district_id`) |
| own | the user's own caseload: the user is its coach (`coach_id`) |
| provider | at the user's provider (`provider_id`) |

`holds(user, name)` is the role-level question (menus, endpoints, templates' `can`);
`may(user, name, **facts)` adds the scope for one object. Need-based access to the person
(access.policy) is decided separately and always comes first: a capability never widens it.

This module imports no app: the tables are found by name (`jobbtorg.<app>.rules`), so core
stays at the bottom of the layers.
"""

import importlib
from collections.abc import Callable, Mapping
from functools import cache, wraps
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.dispatch import Signal

ALL = "all"
UNIT = "unit"
DISTRICT = "district"
HOME_DISTRICT = "home_district"
OWN = "own"
PROVIDER = "provider"
SCOPES = (ALL, UNIT, DISTRICT, HOME_DISTRICT, OWN, PROVIDER)

# The fact each scope compares with the user's own place (user attribute, object fact).
_SCOPE_FACTS: dict[str, tuple[str, str]] = {
    UNIT: ("jobbtorg_unit_id", "unit_id"),
    DISTRICT: ("district_id", "district_id"),
    HOME_DISTRICT: ("district_id", "home_district_id"),
    OWN: ("pk", "coach_id"),
    PROVIDER: ("provider_id", "provider_id"),
}

Scope = str | tuple[str, ...]  # a tuple: any of these scopes ("own or unit")
Table = Mapping[str, Mapping[str, Scope]]
CapabilityTable = dict[str, Mapping[str, Scope]]  # an app's rules.CAPABILITIES


@cache
def registry() -> dict[str, dict[str, Scope]]:
    """Every app's table, keyed "<app>.<capability>"; a scope outside SCOPES is a programming error."""
    collected: dict[str, dict[str, Scope]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("jobbtorg."):
            continue
        try:
            rules = importlib.import_module(f"{config.name}.rules")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.rules":
                raise
            continue
        table: Table = getattr(rules, "CAPABILITIES", {})
        for name, row in table.items():
            for role, scope in row.items():
                if not set(scope if isinstance(scope, tuple) else (scope,)) <= set(SCOPES):
                    raise ValueError(f"{config.label}.{name}: unknown scope {scope!r} for {role}")
            collected[f"{config.label}.{name}"] = {str(role): scope for role, scope in row.items()}
    return collected


def scope_of(role: str | None, name: str) -> Scope | None:
    """The scope `role` holds `name` in, None when it does not hold it."""
    try:
        row = registry()[name]
    except KeyError:
        raise KeyError(f"No capability {name!r} is declared (an app's rules.CAPABILITIES)") from None
    return row.get(role or "")


def holds(user: Any, name: str) -> bool:
    """May this signed-in user's role do `name` at all (on some object in its scope)?"""
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return False
    return scope_of(getattr(user, "role", None), name) is not None


def scope_allows(scope: Scope | None, user: Any, facts: Mapping[str, Any]) -> bool:
    """Pure: does `scope` reach an object with these facts for this user? A missing fact denies."""
    if scope is None:
        return False
    if isinstance(scope, tuple):
        return any(scope_allows(one, user, facts) for one in scope)
    if scope == ALL:
        return True
    user_attr, fact = _SCOPE_FACTS[scope]
    mine = getattr(user, user_attr, None)
    return mine is not None and facts.get(fact) is not None and mine == facts[fact]


def may(user: Any, name: str, **facts: Any) -> bool:
    """May `user` do `name` to the object these facts describe (unit_id, district_id,
    home_district_id, coach_id, provider_id)? The relation to the person is asked separately."""
    if not holds(user, name):
        return False
    return scope_allows(scope_of(user.role, name), user, facts)


def roles_holding(name: str) -> set[str]:
    """The roles that hold `name` (for queries such as "who gets the digest")."""
    scope_of(None, name)  # raises for an undeclared name
    return set(registry()[name])


# Sent when an endpoint refuses a role that lacks the capability; the audit app records it
# (audit.apps), so core does not import audit and every refusal is still in the log.
capability_refused = Signal()


def refuse(request: Any, name: str) -> None:
    """Tell the listeners (the audit log) that `request`'s user was refused `name`."""
    capability_refused.send(sender=None, request=request, capability=name)


def requires(
    name: str,
    *,
    refused: type[Exception] = PermissionDenied,
    message: Any = None,
    on_refusal: Callable[[Any], Any] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Web view decorator: refuse unless the user holds `name`: 403 (PermissionDenied), or the
    `refused` exception (Http404 where the page hides that it exists), or `on_refusal(request)`'s
    own answer; `message` is the 403 page's text. Put it under @login_required, so an anonymous visitor is sent to log in.

    The name is kept on the view (`required_capability`) so the URL walk test finds it (and
    that test fails for a name no table declares).
    """

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not holds(request.user, name):
                refuse(request, name)
                if on_refusal is not None:
                    return on_refusal(request)
                raise refused(message) if message is not None else refused()
            return view(request, *args, **kwargs)

        wrapper.required_capability = name  # type: ignore[attr-defined]
        return wrapper

    return decorate


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a web view that needs no capability (it checks its own relation, or is for everyone)."""
    view.required_capability = PUBLIC  # type: ignore[attr-defined]
    return view


PUBLIC = "public"


class Can:
    """`can.<app>.<capability>` in templates: evaluated lazily, once per name and request."""

    def __init__(self, user: Any) -> None:
        self._user = user
        self._known: dict[str, bool] = {}

    def __getitem__(self, app: str) -> "_AppCan":
        return _AppCan(self, app)

    def __getattr__(self, app: str) -> "_AppCan":
        if app.startswith("_"):
            raise AttributeError(app)
        return _AppCan(self, app)

    def check(self, name: str) -> bool:
        if name not in self._known:
            self._known[name] = holds(self._user, name)
        return self._known[name]


class _AppCan:
    def __init__(self, can: Can, app: str) -> None:
        self._can = can
        self._app = app

    def __getitem__(self, capability: str) -> bool:
        return self._can.check(f"{self._app}.{capability}")

    def __getattr__(self, capability: str) -> bool:
        if capability.startswith("_"):
            raise AttributeError(capability)
        return self._can.check(f"{self._app}.{capability}")
