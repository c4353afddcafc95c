"""The OpenAPI schema, the self-hosted docs page, and API tokens for integrations."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

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


def _command(*args) -> str:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip()


def test_create_api_token_issues_a_working_token():
    user = f.UserFactory(social_worker=True, username="integration")
    key = _command("integration")
    assert Token.objects.get(user=user).key == key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "integration" and me.json()["role"] == "social_worker"
    # Asked again: the same token, not a second one.
    assert _command("integration") == key


def test_rotate_replaces_the_token_and_the_old_one_stops_working():
    f.UserFactory(coach=True, username="kalle")
    old = _command("kalle")
    new = _command("kalle", "--rotate")
    assert new != old
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert client.get("/api/v1/me/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {new}")
    assert client.get("/api/v1/me/").status_code == 200


def test_no_token_for_unknown_or_inactive_users():
    with pytest.raises(CommandError, match="finns inte"):
        _command("nobody")
    f.UserFactory(username="gone", is_active=False)
    with pytest.raises(CommandError, match="inaktiverad"):
        _command("gone")
    assert not Token.objects.exists()


def test_token_of_a_deactivated_user_stops_working():
    user = f.UserFactory(coach=True, username="slutat")
    key = _command("slutat")
    user.is_active = False
    user.save(update_fields=["is_active"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/persons/").status_code == 401
