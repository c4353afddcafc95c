"""API helpers shared by every app: error handling that never leaks a 500 for bad input,
bounded pagination, and the self-hosted API docs page.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.utils.html import format_html
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response
from rest_framework.routers import APIRootView
from rest_framework.views import exception_handler as drf_exception_handler

from jobbtorg.core.api_defaults import PARSE_ERROR_MESSAGE, NulInputError, Pagination, SafeJSONParser
from jobbtorg.core.capabilities import PUBLIC
from jobbtorg.core.errors import AccessDenied, ConflictError

__all__ = ["Pagination", "SafeJSONParser", "exception_handler", "api_not_found", "ApiDocsView", "ApiRootView"]

NOT_FOUND_MESSAGE = "Hittades inte."


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn domain errors into 400/404/409 with field errors in Swedish.

    AccessDenied becomes the same 404 as a person that does not exist, so a
    refusal says nothing about whether the person is in the registry.
    """
    if isinstance(exc, ConflictError):
        return Response({"detail": exc.messages[0]}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, AccessDenied | Http404):
        # Also Django's own Http404, whose text names the model ("No Person matches ...").
        return Response({"detail": NOT_FOUND_MESSAGE}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, NulInputError):
        return Response({"detail": str(exc.detail)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ParseError):
        # DRF's own text is untranslated and quotes the parser's (English) complaint.
        return Response({"detail": PARSE_ERROR_MESSAGE}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = DRFValidationError(detail)
    return drf_exception_handler(exc, context)


def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any unknown path under /api/v1/ (e.g. /persons/abc/): a JSON 404, not the HTML page."""
    return JsonResponse({"detail": NOT_FOUND_MESSAGE}, status=404)


# The Swagger UI files come from the drf-spectacular-sidecar package, served by our own
# static files: the Content-Security-Policy allows scripts and styles from 'self' only.
SWAGGER_UI_STATIC = "drf_spectacular_sidecar/swagger-ui-dist/"


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI for /api/v1/docs/, with no CDN, no inline script and no inline style.

    The split view delivers the init script from this same URL (`?script=`), so the page
    works under `script-src 'self'`. The HTML is ours (drf-spectacular's template carries
    an inline <style>, which `style-src 'self'` refuses).
    """

    @extend_schema(exclude=True)
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("script") is not None:
            return super().get(request, *args, **kwargs)
        script_url = request.get_full_path() + ("&" if "?" in request.get_full_path() else "?") + "script="
        html = format_html(
            '<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            "<title>{}</title>\n"
            '<link rel="icon" href="{}">\n<link rel="stylesheet" href="{}">\n</head>\n<body>\n'
            '<main>\n<h1 hidden>{}</h1>\n<div id="swagger-ui"></div>\n</main>\n'
            '<script src="{}"></script>\n<script src="{}"></script>\n<script src="{}"></script>\n'
            "</body>\n</html>\n",
            self.title or "Jobbtorg API",
            static(SWAGGER_UI_STATIC + "favicon-32x32.png"),
            static(SWAGGER_UI_STATIC + "swagger-ui.css"),
            self.title or "Jobbtorg API",
            static(SWAGGER_UI_STATIC + "swagger-ui-bundle.js"),
            static(SWAGGER_UI_STATIC + "swagger-ui-standalone-preset.js"),
            script_url,
        )
        return HttpResponse(html, content_type="text/html; charset=utf-8")


class ApiRootView(APIRootView):
    """The list of API resources at /api/v1/: for any signed-in user (it names no data)."""

    required_capabilities = {"get": PUBLIC}
