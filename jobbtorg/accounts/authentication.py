"""`Authorization: Token <key>` for the API, against hashed, expiring keys (docs/adr/0011).

Named in settings (DEFAULT_AUTHENTICATION_CLASSES), so this module must not import
rest_framework.views (DRF's settings import would become circular).
"""

from typing import Any

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from jobbtorg.accounts.services import TokenStatus, check_api_key

KEYWORD = "Token"
BAD_HEADER_MESSAGE = "Ogiltig Authorization-rubrik. Skriv: Token <nyckel>."
UNKNOWN_TOKEN_MESSAGE = "Ogiltig token."
EXPIRED_TOKEN_MESSAGE = "Din API-token har gått ut. Be systemförvaltaren om en ny."
INACTIVE_USER_MESSAGE = "Användaren som token hör till är inaktiverad."

_MESSAGES = {
    TokenStatus.UNKNOWN: UNKNOWN_TOKEN_MESSAGE,
    TokenStatus.EXPIRED: EXPIRED_TOKEN_MESSAGE,
    TokenStatus.INACTIVE_USER: INACTIVE_USER_MESSAGE,
}


class ApiTokenAuthentication(BaseAuthentication):
    """A request without a Token header is left to the next class (the session)."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(BAD_HEADER_MESSAGE)
        try:
            key = parts[1].decode("ascii")
        except UnicodeError as exc:
            raise AuthenticationFailed(UNKNOWN_TOKEN_MESSAGE) from exc
        check = check_api_key(key)
        if check.user is None:
            raise AuthenticationFailed(_MESSAGES[check.status])
        return check.user, None

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (with WWW-Authenticate), not 403, when credentials are missing or refused.
        return KEYWORD
