"""DRF defaults named in settings (parser, pagination).

Kept apart from jobbtorg.core.api, which imports DRF views: settings-named classes
must not import rest_framework.views, or DRF's settings import becomes circular.
"""

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser

PARSE_ERROR_MESSAGE = "Innehållet kunde inte tolkas. Skicka giltig JSON."


class SafeJSONParser(JSONParser):
    """JSON parser that turns too deeply nested input into a 400 instead of a RecursionError (500)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict[str, Any] | None = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(PARSE_ERROR_MESSAGE) from exc


class Pagination(LimitOffsetPagination):
    """limit/offset with a ceiling: `?limit=10**30` must not reach the database as a LIMIT.

    (LimitOffsetPagination already answers an offset past the end with an empty page
    without querying, so only the limit needs a bound.)
    """

    default_limit = 50
    max_limit = 500
    limit_query_description = "Antal rader per sida (högst 500, förvalt 50)."
    offset_query_description = "Hoppa över så många rader (för nästa sida)."
