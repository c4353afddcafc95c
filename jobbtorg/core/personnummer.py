"""Swedish personnummer and samordningsnummer: parse, validate, normalise.

PLACEHOLDER — replaced by the full implementation (see tests/test_personnummer.py).
"""

import datetime

from django.core.exceptions import ValidationError


def normalise(value: str, today: datetime.date | None = None) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) != 12:
        raise ValidationError("Ange personnumret med 12 siffror.", code="format")
    return digits


def validate_normalised(value: str) -> None:
    normalise(value)


def birth_date(normalised: str) -> datetime.date:
    day = int(normalised[6:8])
    if day > 60:
        day -= 60
    return datetime.date(int(normalised[:4]), int(normalised[4:6]), day)


def display(normalised: str) -> str:
    return f"{normalised[:8]}-{normalised[8:]}"
