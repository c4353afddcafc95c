"""Validators for text that names a person (issue 8 item 10).

A name must show what it is. Refused:
- a name without a single letter, e.g. only zero-width characters (U+200B…) or spaces:
  it looks empty in every list and cannot be searched for;
- bidirectional control characters (U+202A–U+202E embeddings and overrides, U+2066–U+2069
  isolates): they reverse how the rest of the line is shown, so "Anna" can be made to read
  as another name and a list can be made to lie;
- other control characters (NUL, tab, line breaks: categories Cc).

Used by the name fields of the person forms and API serializers. Empty text is let through:
whether a name is required is the field's business.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def validate_person_name(value: str) -> None:
    if not value:
        return
    if any(ch in BIDI_CONTROLS for ch in value):
        raise ValidationError(
            _("Namnet innehåller osynliga tecken som vänder textens riktning. Skriv namnet utan dem."),
            code="bidi_control",
        )
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ValidationError(
            _("Namnet innehåller styrtecken (till exempel radbrytning eller tabb). Skriv namnet på en rad."),
            code="control_character",
        )
    if not any(unicodedata.category(ch).startswith("L") for ch in value):
        raise ValidationError(
            _("Skriv namnet med bokstäver. Det får inte bestå av bara osynliga tecken eller blanksteg."),
            code="no_letters",
        )
