"""Request hardening that every view gets without asking (issue 8 item 10).

- `RejectNulMiddleware`: a NUL character (%00) in the path, a query parameter or a form field
  is answered 400 with a Swedish message before any view runs (API bodies: the parsers in
  core.api_defaults). PostgreSQL cannot store or
  compare text with NUL in it, so such input used to become a 500 in searches and saves.
  Uploaded files are not looked into here: a file's reader must refuse NUL cells itself.
- `ApiNoStoreMiddleware`: every answer under /api/v1/ carries `Cache-Control: no-store`
  (and `private`), so personal data is never kept by a browser, proxy or integration cache.
"""

from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

API_PREFIX = "/api/v1/"
NUL = "\x00"

# The same text in the API (which is Swedish without translation) and the web page.
NUL_MESSAGE = "Texten innehåller ett otillåtet osynligt tecken (NUL, %00). Ta bort det och försök igen."


def contains_nul(values: Iterable[str]) -> bool:
    return any(NUL in value for value in values)


def params_contain_nul(params: QueryDict) -> bool:
    """Whether any key or value of a QueryDict (query string or form fields) contains NUL."""
    return contains_nul(params.keys()) or contains_nul(v for _key, values in params.lists() for v in values)


class RejectNulMiddleware:
    """400, not 500, for NUL in the path, the query string or (web) form fields.

    API bodies are left to DRF's parsers, which refuse NUL themselves (core.api_defaults): reading
    request.POST here would take the body away from them (a JSON-only endpoint would no longer
    answer 415 to a form)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path or params_contain_nul(request.GET):
            return self.refuse(request)
        if not request.path.startswith(API_PREFIX) and params_contain_nul(request.POST):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": NUL_MESSAGE}, status=400)
        return render(request, "400.html", {"message": _(NUL_MESSAGE)}, status=400)


class ApiNoStoreMiddleware:
    """Cache-Control: no-store on every API answer: they carry personal data, errors included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private, max-age=0
        return response
