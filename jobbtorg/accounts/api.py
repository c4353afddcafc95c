"""Who the caller is (`/api/v1/me/`), and how the OpenAPI document describes API tokens.

Tokens are issued by an administrator with `manage.py create_api_token <username>`
(accounts.services.issue_token); the API has no endpoint that hands out tokens for a password.
"""

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The schema's `tokenAuth` for accounts.authentication.ApiTokenAuthentication (registered on import)."""

    target_class = "jobbtorg.accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Skicka `Authorization: Token <nyckel>`. Nyckeln utfärdas av systemförvaltaren "
                f"(`manage.py create_api_token`), visas en gång och gäller i {settings.API_TOKEN_DAYS} dagar; "
                "en utgången eller återkallad nyckel ger 401."
            ),
        }


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.CharField()
    role_display = serializers.CharField()
    unit = serializers.CharField(help_text="Jobbtorg, stadsdel eller anordnare som användaren tillhör.")


class MeView(APIView):
    """The signed-in user (or the token's owner): lets an integration check its token."""
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "get": "accounts.me",
    }

    @extend_schema(summary="Vem är jag", responses=MeSerializer, tags=["konto"])
    def get(self, request: Request) -> Response:
        user = request.user
        return Response(
            MeSerializer(
                {
                    "username": user.get_username(),
                    "role": user.role,
                    "role_display": user.get_role_display(),
                    "unit": user.unit_name,
                }
            ).data
        )
