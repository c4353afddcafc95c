"""The API's one permission check (ADR 0013): every view declares the capability each action needs.

    required_capabilities = {"list": "plans.read", "approve": "plans.decide", ...}

Open Zaak's `required_scopes` habit. An action without a declaration is refused, so a new
endpoint cannot be reached until someone says who may use it. Object-level access (the person
relation, the scope) stays in the services, which answer 404 or 403 as before.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from jobbtorg.core.capabilities import PUBLIC, holds, refuse

REFUSED_MESSAGE = _("Din roll får inte göra det här.")


def declared_capability(view: Any, action: str | None) -> str | None:
    """The capability declared for `action` on `view` (None when nothing is declared)."""
    table: dict[str, str] = getattr(view, "required_capabilities", {}) or {}
    if action is None:
        return None
    return table.get(action)


def action_of(view: Any, request: Request) -> str | None:
    """A viewset's action ("list", "approve"); for a plain APIView the HTTP method ("get")."""
    action = getattr(view, "action", None)
    return action or (request.method or "").lower() or None


def _handles(view: Any, request: Request) -> bool:
    """Whether the view has a handler for the method (else DRF answers 405, which says nothing)."""
    method = (request.method or "").lower()
    action_map = getattr(view, "action_map", None)
    if action_map is not None:
        return method in action_map
    return hasattr(view, method)


class HasCapability(BasePermission):
    """Signed in, and the role holds the capability declared for this action.

    OPTIONS (DRF's "metadata" action) describes the endpoint and is open to any signed-in user.
    A view may word the refusal per action in `capability_refused_messages`.
    """

    message = REFUSED_MESSAGE

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        action = action_of(view, request)
        if action in ("metadata", "options") or not _handles(view, request):
            return True  # OPTIONS describes the endpoint; an unhandled method gets DRF's 405
        name = declared_capability(view, action)
        if name == PUBLIC:
            return True
        if name is not None and holds(user, name):
            return True
        refuse(request, name or f"(undeclared: {action})")
        self.message = getattr(view, "capability_refused_messages", {}).get(action, REFUSED_MESSAGE)
        return False
