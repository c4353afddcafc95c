"""Login throttling and API token rules: pure functions, no ORM (docs/adr/0011)."""

import datetime
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jobbtorg.accounts.models import Role

# API keys are 40 hex characters (160 random bits); the first 8 are kept in clear to tell tokens apart.
API_KEY_PATTERN = re.compile(r"[0-9a-f]{40}")
API_KEY_PREFIX_LENGTH = 8
# `last_used` is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class ThrottleLimits:
    """`limit` failed logins within `window` lock for `lockout`, counted from the failure that
    reached the limit. A limit of 0 switches that throttle off."""

    limit: int
    window: datetime.timedelta
    lockout: datetime.timedelta

    @property
    def horizon(self) -> datetime.timedelta:
        """How far back a failure can still matter."""
        return self.window + self.lockout


def locked_until(recent_failures: Sequence[datetime.datetime], limits: ThrottleLimits) -> datetime.datetime | None:
    """When the lockout that `recent_failures` (newest first, at least the newest `limit`) cause ends.

    A failure is only recorded while no lockout is in force, so only the newest failure can
    start one: it does if it and the `limit - 1` before it fall within `window`. None: no lockout.
    """
    if limits.limit <= 0 or len(recent_failures) < limits.limit:
        return None
    newest, oldest_counted = recent_failures[0], recent_failures[limits.limit - 1]
    if newest - oldest_counted > limits.window:
        return None
    return newest + limits.lockout


def is_locked(recent_failures: Sequence[datetime.datetime], limits: ThrottleLimits, now: datetime.datetime) -> bool:
    until = locked_until(recent_failures, limits)
    return until is not None and now < until


def normalise_username(username: str) -> str:
    """The form the throttle counts a username in: as typed, lower-cased ("Kalle" and "kalle" are one)."""
    return username.strip().lower()[:150]


def hash_api_key(key: str) -> str:
    """SHA-256 of a random 160-bit key: enough without salt or stretching (the key is not a password)."""
    return hashlib.sha256(key.encode()).hexdigest()


def is_well_formed_api_key(key: str) -> bool:
    return bool(API_KEY_PATTERN.fullmatch(key))


def needs_last_used_update(last_used: datetime.datetime | None, now: datetime.datetime) -> bool:
    return last_used is None or now - last_used >= LAST_USED_RESOLUTION


# --- Capabilities (ADR 0013) -------------------------------------------------------------------
# Role groups the apps' CAPABILITIES tables are written with. Roles that never see a person
# (analyst, HR, system administrator: access.policy) are in no person capability.
EVERY_ROLE = tuple(Role)
PERSON_ROLES = (Role.COACH, Role.UNIT_MANAGER, Role.SOCIAL_WORKER, Role.OSA_OFFICER, Role.MATCHER, Role.PROVIDER_STAFF)


def every(roles: Iterable[str], scope: str = "all") -> dict[str, str]:
    """One capability row: each of `roles` with the same scope."""
    return {role: scope for role in roles}


CAPABILITIES: dict[str, dict[str, str]] = {
    "me": every(EVERY_ROLE),  # who am I (GET /api/v1/me/)
}
