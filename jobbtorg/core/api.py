"""API helpers shared by every app: error handling that never leaks a 500 for bad input."""

from typing import Any

from django.core.exceptions import ValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from jobbtorg.core.errors import AccessDenied, ConflictError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn domain errors into 400/403/409 with field errors in Swedish."""
    if isinstance(exc, ConflictError):
        return Response({"detail": exc.messages[0]}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, AccessDenied):
        return Response({"detail": "Du har inte behörighet till den här personen."}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, ValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = DRFValidationError(detail)
    return drf_exception_handler(exc, context)
