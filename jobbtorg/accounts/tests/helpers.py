"""Test helpers for API tokens."""

import datetime
import hashlib

from django.utils import timezone

from jobbtorg.accounts import rules
from jobbtorg.accounts.models import ApiToken, User


def api_key_for(user: User) -> str:
    """A working API key for `user`, the same however often it is asked for.

    The real issuing (accounts.services.issue_token) shows a key once and audits it; tests that
    build several clients for one user need a key they can derive again, so this one comes
    from the user's id and name. Test data only; tests of issuing use the service or the command.
    It counts as just used, so the first request makes no `last_used` write (query-count tests).
    """
    now = timezone.now()
    key = hashlib.sha256(f"test-api-key:{user.pk}:{user.get_username()}".encode()).hexdigest()[:40]
    ApiToken.objects.update_or_create(
        user=user,
        defaults={
            "prefix": key[: rules.API_KEY_PREFIX_LENGTH],
            "key_hash": rules.hash_api_key(key),
            "expires": now + datetime.timedelta(days=30),
            "last_used": now,
        },
    )
    return key
