"""API date fields that refuse years that can only be typing errors (issue 8 item 11).

Use these instead of rest_framework's DateField/DateTimeField for input: a date before 1900 or
after 2100 is a 400 field error with a Swedish message, never a date the rules or the
time-zone arithmetic have to cope with (core.date_bounds).
"""

from typing import Any

from rest_framework import serializers

from jobbtorg.core.date_bounds import validate_sane_date


class DateField(serializers.DateField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs["validators"] = [*kwargs.get("validators", []), validate_sane_date]
        super().__init__(**kwargs)


class DateTimeField(serializers.DateTimeField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs["validators"] = [*kwargs.get("validators", []), validate_sane_date]
        super().__init__(**kwargs)
