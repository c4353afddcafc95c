"""Finding persons: the search box on /personer/sok/ and the API's person search.

Every query starts from access.policy.visible_persons, so a search shows no one the user may
not see (docs/adr/0006). Moved here from web (issue 9 item 6): people owns how a person is found.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.db.models.functions import Upper

from jobbtorg.access.policy import visible_persons
from jobbtorg.accounts.models import User
from jobbtorg.core import personnummer
from jobbtorg.people.models import Person

_NUMBER_LIKE = re.compile(r"^[\d\s+-]+$")


@dataclass(frozen=True)
class SearchQuery:
    """What the search box was understood as; `error` is a Swedish message for the user."""

    text: str
    kind: str  # "empty" | "too_short" | "personnummer" | "birth_date" | "name" | "invalid"
    value: str = ""
    error: str = ""


MIN_NAME_LENGTH = 2


def parse_search(text: str) -> SearchQuery:
    """Personnummer in any common form (10/12 digits, with or without -/+), a birth date
    ÅÅÅÅMMDD, or the beginning of names ("ami hass", "Hassan, Amina")."""
    text = (text or "").strip()[:100]
    if not text:
        return SearchQuery(text, "empty")
    if _NUMBER_LIKE.match(text):
        digits = re.sub(r"\D", "", text)
        try:
            return SearchQuery(text, "personnummer", personnummer.normalise(text))
        except ValidationError as error:
            if len(digits) == 8:
                return SearchQuery(text, "birth_date", digits)
            return SearchQuery(text, "invalid", error=" ".join(error.messages))
    name = " ".join(re.split(r"[\s,]+", text)).strip()
    if len(name) < MIN_NAME_LENGTH:
        return SearchQuery(text, "too_short")
    return SearchQuery(text, "name", name)


def search_persons(user: User, query: SearchQuery) -> QuerySet[Person]:
    """Persons matching the query among those `user` may see, sorted by name."""
    qs = visible_persons(user)
    if query.kind == "personnummer":
        qs = qs.filter(personnummer=query.value)
    elif query.kind == "birth_date":
        qs = qs.filter(personnummer__startswith=query.value)
    elif query.kind == "name":
        for token in query.value.split():
            qs = qs.filter(Q(first_name__istartswith=token) | Q(last_name__istartswith=token))
    else:
        return Person.objects.none()
    # By UPPER(name): no index gives that order, so PostgreSQL finds the matches first (the prefix
    # indexes of people/0002) instead of walking every person in name order (bench/load.py, 1,000,000).
    return qs.select_related("home_district").order_by(Upper("last_name"), Upper("first_name"), "pk")
