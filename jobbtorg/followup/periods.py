"""Report periods (DOMAIN §8): a month, a tertial (four months) or a calendar year.

Pure: no database. A period is closed on both ends; "2026-T2" is May-August 2026.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

MONTH, TERTIAL, YEAR = "month", "tertial", "year"


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def code(self) -> str:
        if self.kind == YEAR:
            return f"{self.start.year}"
        if self.kind == TERTIAL:
            return f"{self.start.year}-T{(self.start.month - 1) // 4 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def label(self) -> str:
        if self.kind == YEAR:
            return _("År %(year)s") % {"year": self.start.year}
        if self.kind == TERTIAL:
            return _("Tertial %(t)s %(year)s") % {"t": (self.start.month - 1) // 4 + 1, "year": self.start.year}
        return f"{self.start.year}-{self.start.month:02d}"

    def previous(self) -> "Period":
        return containing(self.start - datetime.timedelta(days=1), self.kind)


def _month_end(year: int, month: int) -> datetime.date:
    nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - datetime.timedelta(days=1)


def month(year: int, m: int) -> Period:
    return Period(MONTH, datetime.date(year, m, 1), _month_end(year, m))


def tertial(year: int, t: int) -> Period:
    first = (t - 1) * 4 + 1
    return Period(TERTIAL, datetime.date(year, first, 1), _month_end(year, first + 3))


def year(y: int) -> Period:
    return Period(YEAR, datetime.date(y, 1, 1), datetime.date(y, 12, 31))


def containing(day: datetime.date, kind: str) -> Period:
    if kind == YEAR:
        return year(day.year)
    if kind == TERTIAL:
        return tertial(day.year, (day.month - 1) // 4 + 1)
    return month(day.year, day.month)


def months_back(day: datetime.date, n: int) -> list[Period]:
    """The n calendar months ending with the one holding `day`, oldest first (the 12-month trend)."""
    out = [containing(day, MONTH)]
    while len(out) < n:
        out.append(out[-1].previous())
    return out[::-1]


_CODE = re.compile(r"^(\d{4})(?:-(T[1-3]|\d{2}))?$")


def parse(code: str) -> Period:
    """'2026', '2026-T2' or '2026-05'; ValueError with a Swedish message otherwise."""
    found = _CODE.match(code.strip())
    if not found:
        raise ValueError(_("Ange perioden som år (2026), tertial (2026-T2) eller månad (2026-05)."))
    y, part = int(found[1]), found[2]
    if not 2000 <= y <= 2100:
        raise ValueError(_("Året måste ligga mellan 2000 och 2100."))
    if part is None:
        return year(y)
    if part.startswith("T"):
        return tertial(y, int(part[1]))
    if not 1 <= int(part) <= 12:
        raise ValueError(_("Månaden måste vara 01–12."))
    return month(y, int(part))
