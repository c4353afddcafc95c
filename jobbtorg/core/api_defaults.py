"""DRF defaults named in settings (parser, pagination).

Kept apart from jobbtorg.core.api, which imports DRF views: settings-named classes
must not import rest_framework.views, or DRF's settings import becomes circular.
"""

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from jobbtorg.core.middleware import NUL, NUL_MESSAGE, params_contain_nul

PARSE_ERROR_MESSAGE = "Innehållet kunde inte tolkas. Skicka giltig JSON."


class NulInputError(ParseError):
    """A JSON string (key or value) held NUL ("\\u0000"): PostgreSQL cannot store it (issue 8 item 10)."""

    default_detail = NUL_MESSAGE


def has_nul(data: Any) -> bool:
    """Whether any string in parsed JSON, key or value, contains NUL. Iterative: no recursion limit."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class SafeJSONParser(JSONParser):
    """JSON parser that turns too deeply nested input into a 400 instead of a RecursionError (500),
    and refuses NUL in any string with a 400 instead of a database error (500)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict[str, Any] | None = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(PARSE_ERROR_MESSAGE) from exc
        if has_nul(data):
            raise NulInputError()
        return data


class SafeFormParser(FormParser):
    """Form-encoded API bodies: NUL in a field name or value is a 400 (issue 8 item 10)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict[str, Any] | None = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        if params_contain_nul(data):
            raise NulInputError()
        return data


class SafeMultiPartParser(MultiPartParser):
    """Multipart API bodies: NUL in a form field is a 400. Uploaded files are their reader's to check."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict[str, Any] | None = None) -> Any:
        parsed = super().parse(stream, media_type, parser_context)
        if params_contain_nul(parsed.data):
            raise NulInputError()
        return parsed


class Pagination(LimitOffsetPagination):
    """limit/offset with a ceiling: `?limit=10**30` must not reach the database as a LIMIT.

    (LimitOffsetPagination already answers an offset past the end with an empty page
    without querying, so only the limit needs a bound.)
    """

    default_limit = 50
    max_limit = 500
    limit_query_description = "Antal rader per sida (högst 500, förvalt 50)."
    offset_query_description = "Hoppa över så många rader (för nästa sida)."
