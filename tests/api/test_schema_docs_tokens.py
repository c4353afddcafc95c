"""The OpenAPI schema, the self-hosted docs page, and API tokens for integrations."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from jobbtorg.accounts.authentication import EXPIRED_TOKEN_MESSAGE
from jobbtorg.accounts.models import ApiToken
from jobbtorg.accounts.rules import hash_api_key
from jobbtorg.audit.models import Action, AuditEntry
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db

EXPECTED_PATHS = {
    "/api/v1/districts/",
    "/api/v1/districts/{id}/",
    "/api/v1/units/",
    "/api/v1/units/{id}/",
    "/api/v1/service-areas/",
    "/api/v1/service-areas/{id}/",
    "/api/v1/af-units/",
    "/api/v1/af-units/{id}/",
    "/api/v1/providers/",
    "/api/v1/providers/{id}/",
    "/api/v1/employers/",
    "/api/v1/employers/{id}/",
    "/api/v1/persons/",
    "/api/v1/persons/{id}/",
    "/api/v1/me/",
}


def test_generated_schema_validates_and_has_every_endpoint():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    assert EXPECTED_PATHS <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/persons/{id}/"]) == {"get", "patch"}
    assert set(schema["paths"]["/api/v1/persons/"]) == {"get", "post"}
    id_param = schema["paths"]["/api/v1/persons/{id}/"]["get"]["parameters"][0]
    assert id_param["schema"]["type"] == "integer"
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])
    token_auth = schema["components"]["securitySchemes"]["tokenAuth"]
    assert token_auth["type"] == "apiKey" and token_auth["in"] == "header" and token_auth["name"] == "Authorization"
    assert "Token <nyckel>" in token_auth["description"] and "90 dagar" in token_auth["description"]
    params = {p["name"] for p in schema["paths"]["/api/v1/service-areas/"]["get"]["parameters"]}
    assert {"on", "district", "unit", "limit", "offset"} <= params


def test_schema_is_served():
    response = APIClient().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Jobbtorg API"


def test_docs_page_loads_nothing_from_outside_and_nothing_inline():
    response = APIClient().get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html and "<style" not in html and " style=" not in html
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls
    assert all(u.startswith("/static/") or u.startswith("/api/v1/docs/?") for u in urls), urls
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_docs_assets_are_served_by_our_static_files():
    """Needs 'drf_spectacular_sidecar' in INSTALLED_APPS (collectstatic then copies the files)."""
    html = APIClient().get("/api/v1/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert {a.rsplit("/", 1)[-1] for a in assets} >= {"swagger-ui-bundle.js", "swagger-ui.css"}
    for asset in assets:
        assert finders.find(asset), f"{asset} is not found by the static files finders"


def test_docs_init_script_points_at_our_schema():
    response = APIClient().get("/api/v1/docs/", {"script": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in response.content.decode()


# --- tokens ------------------------------------------------------------------------------
# Issued with `manage.py create_api_token`; only a hash is stored, they expire, and every
# issue, rotation and revocation is in the audit log (docs/adr/0011).


def _run(*args) -> tuple[str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


def _command(*args) -> str:
    return _run(*args)[0]


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def clock(monkeypatch):
    """timezone.now() under the test's control: `clock.now += datetime.timedelta(...)`."""
    import datetime

    from django.utils import timezone

    class Clock:
        now = timezone.now()
        days = datetime.timedelta(days=1)

    monkeypatch.setattr(timezone, "now", lambda: Clock.now)
    return Clock


def test_create_api_token_issues_a_working_token():
    f.UserFactory(social_worker=True, username="integration")
    key = _command("integration")
    assert re.fullmatch(r"[0-9a-f]{40}", key)
    me = _client(key).get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "integration" and me.json()["role"] == "social_worker"


def test_create_api_token_prints_the_expiry_date(clock):
    f.UserFactory(coach=True, username="kalle")
    _, err = _run("kalle")
    expires = ApiToken.objects.get(user__username="kalle").expires
    assert (expires - clock.now).days == 90
    from django.utils import timezone

    assert f"giltig till {timezone.localtime(expires):%Y-%m-%d %H:%M}" in err


def test_a_valid_token_is_not_shown_again_and_not_replaced_without_rotate():
    f.UserFactory(coach=True, username="kalle")
    key = _command("kalle")
    with pytest.raises(CommandError, match="redan en giltig API-token.*--rotate"):
        _command("kalle")
    assert _client(key).get("/api/v1/me/").status_code == 200


def test_rotated_token_stops_working():
    f.UserFactory(coach=True, username="kalle")
    old = _command("kalle")
    new = _command("kalle", "--rotate")
    assert new != old
    assert _client(old).get("/api/v1/me/").status_code == 401
    assert _client(new).get("/api/v1/me/").status_code == 200


def test_revoked_token_stops_working():
    f.UserFactory(coach=True, username="kalle")
    key = _command("kalle")
    _command("kalle", "--revoke")
    assert not ApiToken.objects.exists()
    assert _client(key).get("/api/v1/me/").status_code == 401
    with pytest.raises(CommandError, match="ingen API-token"):
        _command("kalle", "--revoke")


def test_expired_token_is_refused_with_401(clock):
    f.UserFactory(coach=True, username="kalle")
    key = _command("kalle")
    clock.now += 90 * clock.days - clock.days / 24 / 60  # a minute before it expires
    assert _client(key).get("/api/v1/me/").status_code == 200
    clock.now += clock.days / 24 / 60
    response = _client(key).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json() == {"detail": EXPIRED_TOKEN_MESSAGE}
    assert response["WWW-Authenticate"] == "Token"


def test_expired_token_is_replaced_without_rotate(clock):
    f.UserFactory(coach=True, username="kalle")
    old = _command("kalle")
    clock.now += 91 * clock.days
    new = _command("kalle")
    assert new != old and _client(new).get("/api/v1/me/").status_code == 200


def test_token_lifetime_follows_the_setting(settings, clock):
    settings.API_TOKEN_DAYS = 7
    f.UserFactory(coach=True, username="kalle")
    key = _command("kalle")
    clock.now += 7 * clock.days
    assert _client(key).get("/api/v1/me/").status_code == 401


def test_token_key_is_not_stored_in_clear():
    from django.db import connection

    f.UserFactory(coach=True, username="kalle")
    key = _command("kalle")
    token = ApiToken.objects.get()
    assert token.key_hash == hash_api_key(key) != key
    assert token.prefix == key[:8]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        row = cursor.fetchone()
    assert not any(key in str(value) for value in row)
    assert not any(key[8:16] in str(value) for value in row)  # no part beyond the prefix either


def test_token_issue_is_audited_without_the_key():
    user = f.UserFactory(coach=True, username="kalle")
    first = _command("kalle")
    second = _command("kalle", "--rotate")
    _command("kalle", "--revoke")
    # Creating the user is an administration entry of its own (issue 8 item 4): only the token's here.
    entries = list(AuditEntry.objects.filter(what__startswith="API-token").order_by("id"))
    assert [e.action for e in entries] == [Action.ADMIN, Action.ADMIN, Action.ADMIN]
    issued, rotated, revoked = (e.what for e in entries)
    assert issued.startswith(f"API-token utfärdad för kalle (användar-id {user.pk}), giltig till ")
    assert rotated.startswith(f"API-token bytt för kalle (användar-id {user.pk})")
    assert revoked == f"API-token återkallad för kalle (användar-id {user.pk})"
    for entry in entries:
        assert entry.username.startswith("manage.py create_api_token (") and entry.user_id is None
        assert entry.person_id is None
        fields = " ".join(str(value) for value in vars(entry).values())
        assert first not in fields and second not in fields
        assert first[:8] not in fields and second[:8] not in fields


def test_no_token_for_unknown_or_inactive_users():
    with pytest.raises(CommandError, match="finns inte"):
        _command("nobody")
    f.UserFactory(username="gone", is_active=False)
    with pytest.raises(CommandError, match="inaktiverad"):
        _command("gone")
    assert not ApiToken.objects.exists()
    assert not AuditEntry.objects.filter(what__startswith="API-token").exists()


def test_token_of_a_deactivated_user_stops_working():
    user = f.UserFactory(coach=True, username="slutat")
    key = _command("slutat")
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = _client(key).get("/api/v1/persons/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Användaren som token hör till är inaktiverad."}


def test_unknown_token_is_refused_in_swedish():
    response = _client("0" * 40).get("/api/v1/me/")
    assert response.status_code == 401 and response.json() == {"detail": "Ogiltig token."}
    response = APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION="Token")
    assert response.status_code == 401 and "Authorization" in response.json()["detail"]
