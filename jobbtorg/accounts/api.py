"""API tokens for integrations, and who the caller is.

Tokens are issued by an administrator with `manage.py create_api_token <username>`;
the API has no endpoint that hands out tokens for a password.
"""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jobbtorg.accounts.models import User


def issue_token(user: User, *, rotate: bool = False) -> tuple[Token, bool]:
    """Return the user's token (created if missing) and whether it is new.

    `rotate` replaces an existing token, so the old one stops working at once.
    """
    with transaction.atomic():
        if rotate:
            Token.objects.filter(user=user).delete()
        token, created = Token.objects.get_or_create(user=user)
    return token, created


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.CharField()
    role_display = serializers.CharField()
    unit = serializers.CharField(help_text="Jobbtorg, stadsdel eller anordnare som användaren tillhör.")


class MeView(APIView):
    """The signed-in user (or the token's owner): lets an integration check its token."""

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
