"""The write path for failed logins (the login throttle) and API tokens (docs/adr/0011).

Login throttling: `start_login` before the password is checked, then `login_failed` or
`login_succeeded`. State is in the database (`LoginFailure`), so every web process on
every machine sees the same counts. Failed logins and the start of a lockout are written
to the audit log; attempts refused during a lockout are not (they check no password, and
an attacker must not be able to grow the append-only log at will).

API tokens: `issue_token` (also rotation), `revoke_token`, and `check_api_key` for the
API's authentication class. Each issue, rotation and revocation is audited as Action.ADMIN with
the old and new token state (id and validity); the key, its hash and prefix never are.
"""

import datetime
import secrets
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jobbtorg.accounts import rules
from jobbtorg.accounts.models import ApiToken, LoginFailure, User
from jobbtorg.audit.models import Action
from jobbtorg.audit.services import Actor, record
from jobbtorg.core.errors import DomainError

# --- login throttling -------------------------------------------------------------------


def login_limits() -> tuple[rules.ThrottleLimits, rules.ThrottleLimits]:
    """(per username, per client address), from settings.LOGIN_*."""
    window = datetime.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    lockout = datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    return (
        rules.ThrottleLimits(settings.LOGIN_FAILURE_LIMIT, window, lockout),
        rules.ThrottleLimits(settings.LOGIN_ADDRESS_FAILURE_LIMIT, window, lockout),
    )


@dataclass(frozen=True)
class LoginAttempt:
    """One password login. `failure_id` is the row that counts it as failed until it succeeds;
    None means the attempt was refused by a lockout and no password may be checked."""

    username: str
    client_address: str | None
    failure_id: int | None

    @property
    def refused(self) -> bool:
        return self.failure_id is None


def start_login(username: str, client_address: str | None, *, now: datetime.datetime | None = None) -> LoginAttempt:
    """Refuse the attempt during a lockout; otherwise count it as failed until it succeeds.

    The row is written *before* the password is checked, and the lockout checked again
    against the rows written before it: of many attempts sent at once, only as many as the
    limit allows get their password checked.
    """
    now = now or timezone.now()
    name = rules.normalise_username(username)
    if _lockout(name, client_address, now) is not None:
        return LoginAttempt(name, client_address, None)
    _delete_stale(now)
    row = LoginFailure.objects.create(username=name, client_address=client_address, at=now)
    if _lockout(name, client_address, now, before_id=row.pk) is not None:
        LoginFailure.objects.filter(pk=row.pk).delete()
        return LoginAttempt(name, client_address, None)
    return LoginAttempt(name, client_address, row.pk)


def login_failed(attempt: LoginAttempt, *, now: datetime.datetime | None = None) -> bool:
    """Audit the failure (its row stays); True when it started a lockout (also audited)."""
    now = now or timezone.now()
    actor = _login_actor(attempt)
    record(actor, Action.LOGIN, "Inloggning misslyckades: fel användarnamn eller lösenord", None, allowed=False)
    reason = _lockout(attempt.username, attempt.client_address, now)
    if reason is not None:
        minutes = settings.LOGIN_LOCKOUT_MINUTES
        record(actor, Action.LOGIN, f"Inloggning spärrad i {minutes} minuter: {reason}", None, allowed=False)
    return reason is not None


def login_succeeded(attempt: LoginAttempt) -> None:
    """A correct password clears the username's failures (not the address's: a password
    sprayer with one account of their own must not reset their address's count)."""
    LoginFailure.objects.filter(username=attempt.username).delete()


def _login_actor(attempt: LoginAttempt) -> Actor:
    # Nobody is signed in: the entry carries the name as typed, and no user id, whether or not
    # the user exists (the log shows the same thing for a typo and for a guess).
    return Actor(user_id=None, username=attempt.username, role="", client_address=attempt.client_address)


def _lockout(name: str, client_address: str | None, now: datetime.datetime, before_id: int | None = None) -> str | None:
    """Why `name` from `client_address` is locked out now (for the audit entry), or None."""
    per_username, per_address = login_limits()
    within = f"inom {settings.LOGIN_FAILURE_WINDOW_MINUTES} minuter"
    checks = [("username", name, per_username, f"{per_username.limit} misslyckade inloggningar {within} för användarnamnet")]
    if client_address:
        reason = f"{per_address.limit} misslyckade inloggningar {within} från klientadressen"
        checks.append(("client_address", client_address, per_address, reason))
    for field, value, limits, reason in checks:
        if limits.limit <= 0:
            continue
        failures = LoginFailure.objects.filter(**{field: value, "at__gt": now - limits.horizon})
        if before_id is not None:
            failures = failures.filter(pk__lt=before_id)
        recent = list(failures.order_by("-at", "-id").values_list("at", flat=True)[: limits.limit])
        if rules.is_locked(recent, limits, now):
            return reason
    return None


def _delete_stale(now: datetime.datetime) -> None:
    """Failures older than window + lockout no longer matter: delete them as new ones come in."""
    horizon = max(limits.horizon for limits in login_limits())
    LoginFailure.objects.filter(at__lt=now - horizon).delete()


# --- API tokens -------------------------------------------------------------------------


class TokenExists(DomainError):
    """The user already has a valid token; its key can not be shown again."""

    def __init__(self, token: ApiToken) -> None:
        super().__init__("Användaren har redan en giltig API-token.")
        self.token = token


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown once, to whoever issued the token; only its hash is stored
    replaced: bool  # an earlier token existed and has stopped working


def issue_token(user: User, actor: Actor, *, rotate: bool = False, now: datetime.datetime | None = None) -> IssuedToken:
    """Issue `user` a token valid for settings.API_TOKEN_DAYS days.

    A valid existing token is only replaced with `rotate` (it then stops working at once);
    an expired one is replaced without. Raises TokenExists otherwise.
    """
    now = now or timezone.now()
    if not user.is_active:
        raise DomainError("Användaren är inaktiverad: ingen API-token utfärdas.")
    with transaction.atomic():
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))  # one at a time per user
        existing = ApiToken.objects.filter(user=user).first()
        if existing is not None and existing.expires > now and not rotate:
            raise TokenExists(existing)
        if existing is not None:
            existing.delete()
        key = secrets.token_hex(20)
        token = ApiToken.objects.create(
            user=user,
            prefix=key[: rules.API_KEY_PREFIX_LENGTH],
            key_hash=rules.hash_api_key(key),
            created=now,
            expires=now + datetime.timedelta(days=settings.API_TOKEN_DAYS),
        )
        valid_to = f"giltig till {timezone.localtime(token.expires):%Y-%m-%d %H:%M}"
        change = {"api_token": {"old": _token_state(existing), "new": _token_state(token)}}
        if existing is None:
            _record_token(actor, f"API-token utfärdad för {_who(user)}, {valid_to}", user, change)
        else:
            _record_token(actor, f"API-token bytt för {_who(user)} (den förra slutade gälla), {valid_to}", user, change)
    return IssuedToken(token, key, replaced=existing is not None)


def revoke_token(token: ApiToken, actor: Actor) -> None:
    """The token stops working at once."""
    with transaction.atomic():
        deleted, _ = ApiToken.objects.filter(pk=token.pk).delete()
        if deleted:
            change = {"api_token": {"old": _token_state(token), "new": None}}
            _record_token(actor, f"API-token återkallad för {_who(token.user)}", token.user, change)


def _who(user: User) -> str:
    return f"{user.get_username()} (användar-id {user.pk})"


def _token_state(token: ApiToken | None) -> str | None:
    """What the log keeps of a token: its id and validity, never the key, its hash or prefix."""
    if token is None:
        return None
    return f"token-id {token.pk}, giltig till {timezone.localtime(token.expires):%Y-%m-%d %H:%M}"


def _record_token(actor: Actor, what: str, user: User, changes: dict[str, dict[str, str | None]]) -> None:
    """An administration entry (issue 8 item 4): who got or lost a token, old and new state."""
    details = {"user_id": user.pk, "username": user.get_username(), "changes": changes}
    record(actor, Action.ADMIN, what, None, details=details)


class TokenStatus(StrEnum):
    VALID = "valid"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    INACTIVE_USER = "inactive_user"


@dataclass(frozen=True)
class TokenCheck:
    status: TokenStatus
    user: User | None = None


def check_api_key(key: str, *, now: datetime.datetime | None = None) -> TokenCheck:
    """Whose key this is and whether it works; notes the use at most once an hour."""
    if not rules.is_well_formed_api_key(key):
        return TokenCheck(TokenStatus.UNKNOWN)
    now = now or timezone.now()
    token = ApiToken.objects.select_related("user").filter(key_hash=rules.hash_api_key(key)).first()
    if token is None:
        return TokenCheck(TokenStatus.UNKNOWN)
    if token.expires <= now:
        return TokenCheck(TokenStatus.EXPIRED)
    if not token.user.is_active:
        return TokenCheck(TokenStatus.INACTIVE_USER)
    if rules.needs_last_used_update(token.last_used, now):
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return TokenCheck(TokenStatus.VALID, token.user)
