"""Filter forms for log review. They are GET forms: the filters live in the URL so a
list can be shared, bookmarked and exported with exactly the same filters.
"""

import datetime
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbtorg.audit.selectors import DEFAULT_BUSY_THRESHOLD
from jobbtorg.core import personnummer
from jobbtorg.core.forms import Form

DEFAULT_PERIOD_DAYS = 30
DATE_ERRORS = {"invalid": _("Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2026-01-31.")}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class PeriodForm(Form):
    """A date range, both ends inclusive. Empty ends default to the last 30 days."""

    fran = forms.DateField(
        label=_("Från och med"), required=False, widget=DateInput(), input_formats=["%Y-%m-%d"], error_messages=DATE_ERRORS
    )
    till = forms.DateField(
        label=_("Till och med"), required=False, widget=DateInput(), input_formats=["%Y-%m-%d"], error_messages=DATE_ERRORS
    )

    def __init__(self, data: QueryDict | dict[str, str] | None = None, **kwargs: Any) -> None:
        if data is not None:
            data = self.with_defaults(data)
        super().__init__(data, **kwargs)

    @classmethod
    def with_defaults(cls, data: QueryDict | dict[str, str]) -> QueryDict | dict[str, str]:
        """Fill an empty period with the default one, so the form shows what is listed."""
        data = data.copy()
        today = timezone.localdate()
        if not data.get("fran") and not data.get("till"):
            data["fran"] = (today - datetime.timedelta(days=DEFAULT_PERIOD_DAYS)).isoformat()
            data["till"] = today.isoformat()
        elif not data.get("till"):
            data["till"] = today.isoformat()
        elif not data.get("fran"):
            data["fran"] = cls._minus_default(data["till"])
        return data

    @staticmethod
    def _minus_default(value: str) -> str:
        try:
            end = datetime.date.fromisoformat(value)
        except ValueError:
            return ""  # the "till" field reports the error; "fran" stays empty
        return (end - datetime.timedelta(days=DEFAULT_PERIOD_DAYS)).isoformat()

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("fran"), cleaned.get("till")
        if start and end and start > end:
            self.add_error("till", _("Ange ett till-datum som är samma dag som eller efter från-datumet."))
        return cleaned

    @property
    def period(self) -> tuple[datetime.date, datetime.date]:
        return self.cleaned_data["fran"], self.cleaned_data["till"]


class PersonLookupForm(PeriodForm):
    """Whose log: the person's personnummer or samordningsnummer, in any common form."""

    personnummer = forms.CharField(
        label=_("Personnummer"),
        max_length=20,
        help_text=_("10 eller 12 siffror, med eller utan bindestreck, till exempel 19900101-1234."),
        error_messages={"required": _("Ange personens personnummer."), "max_length": _("Personnumret är för långt.")},
    )
    field_order = ["personnummer", "fran", "till"]

    def clean_personnummer(self) -> str:
        """The 12-digit form (core.personnummer), or the rule's own message of what to fix."""
        return personnummer.normalise(self.cleaned_data["personnummer"], today=timezone.localdate())


class PersonLogForm(PeriodForm):
    """The period of one person's log (the person is in the URL)."""


class UserLogForm(PeriodForm):
    anvandare = forms.CharField(
        label=_("Användarnamn"),
        max_length=150,
        error_messages={"required": _("Ange användarnamnet."), "max_length": _("Användarnamnet är för långt.")},
    )
    field_order = ["anvandare", "fran", "till"]

    def clean_anvandare(self) -> str:
        return self.cleaned_data["anvandare"].strip()


class UnusualKind:
    REFUSED = "nekade"
    PROTECTED = "skyddade"
    BUSY = "manga"
    CHOICES = [
        (REFUSED, _("Nekade åtkomster")),
        (PROTECTED, _("Åtkomster till skyddade personuppgifter")),
        (BUSY, _("Många personer på en timme")),
    ]


class UnusualForm(PeriodForm):
    typ = forms.ChoiceField(
        label=_("Visa"),
        choices=UnusualKind.CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Välj en av listorna.")},
    )
    grans = forms.IntegerField(
        label=_("Fler än så här många personer på en timme"),
        required=False,
        min_value=1,
        max_value=10000,
        help_text=_("Gäller listan ”Många personer på en timme”. Räknar öppnade personer, inte listor och sökträffar."),
        error_messages={
            "invalid": _("Ange antalet med siffror."),
            "min_value": _("Ange ett antal som är 1 eller större."),
            "max_value": _("Ange ett antal som är högst 10 000."),
        },
    )
    field_order = ["typ", "fran", "till", "grans"]

    @classmethod
    def with_defaults(cls, data: QueryDict | dict[str, str]) -> QueryDict | dict[str, str]:
        data = super().with_defaults(data)
        if not data.get("typ"):
            data["typ"] = UnusualKind.REFUSED
        if not data.get("grans"):
            data["grans"] = str(DEFAULT_BUSY_THRESHOLD)
        return data


class AdminChangesForm(PeriodForm):
    """The list of changes of users and rights: a period only."""
