"""API tokens in use and in the admin: last use noted at most hourly, revoked and audited in the admin."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from jobbtorg.accounts.models import ApiToken
from jobbtorg.accounts.services import issue_token
from jobbtorg.audit.models import Action, AuditEntry
from jobbtorg.audit.services import Actor
from jobbtorg.core.errors import DomainError
from jobbtorg.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def updates_of_tokens(queries) -> int:
    return sum(1 for q in queries if q["sql"].startswith("UPDATE") and "accounts_apitoken" in q["sql"])


def test_last_used_is_updated_at_most_once_an_hour(clock):
    user = UserFactory(coach=True)
    key = issue_token(user, Actor.system("test")).key
    client = api(key)
    with CaptureQueriesContext(connection) as first:
        assert client.get("/api/v1/me/").status_code == 200
    assert updates_of_tokens(first.captured_queries) == 1
    assert ApiToken.objects.get().last_used == clock.now
    clock.advance(minutes=59)
    with CaptureQueriesContext(connection) as within_the_hour:
        for _ in range(3):
            assert client.get("/api/v1/me/").status_code == 200
    assert updates_of_tokens(within_the_hour.captured_queries) == 0
    clock.advance(minutes=1)
    assert client.get("/api/v1/me/").status_code == 200
    assert ApiToken.objects.get().last_used == clock.now


def test_no_token_is_issued_to_an_inactive_user():
    with pytest.raises(DomainError, match="inaktiverad"):
        issue_token(UserFactory(is_active=False), Actor.system("test"))
    assert not ApiToken.objects.exists()


@pytest.fixture
def sysadmin_client():
    client = Client()
    client.force_login(UserFactory(sysadmin=True, username="lena"))
    return client


def test_admin_lists_tokens_by_prefix_without_the_key(sysadmin_client):
    key = issue_token(UserFactory(coach=True, username="kalle"), Actor.system("test")).key
    html = sysadmin_client.get("/admin/accounts/apitoken/").content.decode()
    assert f"{key[:8]}…" in html and "kalle" in html
    assert key not in html and ApiToken.objects.get().key_hash not in html
    assert sysadmin_client.get("/admin/accounts/apitoken/add/").status_code == 403


def test_revoking_in_the_admin_stops_the_token_and_is_audited(sysadmin_client):
    user = UserFactory(coach=True, username="kalle")
    key = issue_token(user, Actor.system("test")).key
    token = ApiToken.objects.get()
    response = sysadmin_client.post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    assert api(key).get("/api/v1/me/").status_code == 401
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.username) == (Action.ADMIN, "lena")
    assert entry.what == f"API-token återkallad för kalle (användar-id {user.pk})"


def test_revoking_many_in_the_admin_audits_each(sysadmin_client):
    tokens = [issue_token(UserFactory(coach=True), Actor.system("test")).token for _ in range(2)]
    response = sysadmin_client.post(
        "/admin/accounts/apitoken/",
        {"action": "delete_selected", "_selected_action": [t.pk for t in tokens], "post": "yes"},
    )
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    assert AuditEntry.objects.filter(username="lena", what__startswith="API-token återkallad").count() == 2


def test_other_staff_do_not_see_tokens_in_the_admin():
    client = Client()
    client.force_login(UserFactory(coach=True, is_staff=True))
    assert client.get("/admin/accounts/apitoken/").status_code in {302, 403}
