"""Swedish personnummer and samordningsnummer: parse, validate, normalise.

Rules (Skatteverket, folkbokföringslagen 18 §; SKV 704):

- Input in any common form: 10 or 12 digits, with or without `-`/`+`, with
  spaces. Stored normalised as 12 digits (`ÅÅÅÅMMDDNNNK`), shown as
  `ÅÅÅÅMMDD-NNNK` (UX.md).
- 10-digit input takes its century from the separator relative to *today*:
  `-` (or none) means the person turns at most 99 this year, `+` means 100 or
  older. The separator changes to `+` in the year the person turns 100.
- The date must be a real calendar date (29 February only in leap years) and
  not in the future. A samordningsnummer (coordination number) has the day
  plus 60 (61–91).
- The last digit is a Luhn (mod 10) check digit over the other nine of the
  last ten digits. The second-last digit is odd for men, even for women.

Each failure has its own code and Swedish message (`FORMAT`, `DATE`,
`FUTURE`, `CHECKSUM`) so a form can tell the user what to fix.

Why our own ~100 lines and not a library: both PyPI candidates were run
against Skatteverket's 27,420 test numbers (../shared/data/testpersonnummer)
and every single-digit corruption of their last ten digits. `personnummer`
3.2.1 accepts all and rejects all corruptions, and handles samordningsnummer,
but raises one exception for a wrong date and a wrong check digit (so no
message can say which), takes the century from `datetime.date.today()` (the
server's day, not Stockholm's, and not injectable for tests) and rejects
spaces; it also costs ~11 µs a number, which adds up in `seed_demo` and the
2.5-million-case corruption test. `python-stdnum` 2.2 (`stdnum.se.personalid`)
is as correct on the file but lacks samordningsnummer, which the Jobbtorg
must accept (newly arrived participants often have one). A wrapper would
have re-implemented the date and checksum diagnosis anyway, so the rules live
here, small and tested; `personnummer` is used in the tests as an independent
oracle where it is installed.
"""

import datetime
from typing import Final

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# Error codes, one per rule; ValidationError.code carries them.
FORMAT: Final = "format"
DATE: Final = "date"
FUTURE: Final = "future"
CHECKSUM: Final = "checksum"

COORDINATION_DAY_OFFSET: Final = 60

# Luhn: the digits in odd positions (1st, 3rd, ...) are doubled; doubling d gives this digit sum.
_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_ALLOWED_SEPARATORS = frozenset("-+")


def message(code: str) -> str:
    """The Swedish message for an error code; says what to do, not only what is wrong."""
    if code == FORMAT:
        return _("Ange personnumret med 10 eller 12 siffror, till exempel ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN.")
    if code == DATE:
        return _("Datumet i personnumret finns inte – kontrollera år, månad och dag.")
    if code == FUTURE:
        return _("Födelsedatumet i personnumret har inte inträffat än – kontrollera året.")
    if code == CHECKSUM:
        return _("Kontrollsiffran stämmer inte – kontrollera personnumret.")
    raise ValueError(f"unknown personnummer error code {code}")


def _error(code: str) -> ValidationError:
    return ValidationError(message(code), code=code)


def luhn_check_digit(nine: str) -> int:
    """The check digit for the nine digits ÅÅMMDDNNN."""
    total = 0
    for index, char in enumerate(nine):
        digit = ord(char) - 48
        total += _DOUBLED[digit] if index % 2 == 0 else digit
    return (10 - total % 10) % 10


# The doubled digit sum indexed by ASCII code, so bytes can be summed without converting.
_DOUBLED_BY_BYTE = tuple(_DOUBLED[code - 48] if 48 <= code <= 57 else 0 for code in range(256))


def _luhn_ok(ten: bytes) -> bool:
    # Unrolled on purpose: runs millions of times in the corruption test and seed_demo.
    # The undoubled digits are summed as ASCII codes: 5 × 48 = 240 adds nothing mod 10.
    d = _DOUBLED_BY_BYTE
    total = d[ten[0]] + ten[1] + d[ten[2]] + ten[3] + d[ten[4]] + ten[5] + d[ten[6]] + ten[7] + d[ten[8]] + ten[9]
    return total % 10 == 0


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def problem(digits: str, today: datetime.date | None = None) -> str | None:
    """The error code for 12 digits, or None when valid. No exceptions: cheap in bulk.

    `today` (Stockholm's day by default) rejects birth dates in the future;
    pass `datetime.date.max` to skip that check.
    """
    if len(digits) != 12 or not digits.isdigit() or not digits.isascii():
        return FORMAT
    raw = digits.encode("ascii")
    year = int(digits[0:4])
    month = raw[4] * 10 + raw[5] - 528  # 528 = 48 * 11: two ASCII digits to a number, no slicing
    day = raw[6] * 10 + raw[7] - 528
    if day > COORDINATION_DAY_OFFSET:
        day -= COORDINATION_DAY_OFFSET
    if not 1 <= month <= 12 or day < 1 or day > (29 if month == 2 and _is_leap(year) else _MONTH_DAYS[month]):
        return DATE
    if not _luhn_ok(raw[2:]):
        return CHECKSUM
    today = today or timezone.localdate()
    if (year, month, day) > (today.year, today.month, today.day):
        return FUTURE
    return None


def _digits_and_separator(value: str) -> tuple[str, str]:
    """Strip spaces; allow one `-` or `+` before the last four digits."""
    compact = "".join(str(value).split())
    separator = ""
    if len(compact) >= 5 and compact[-5] in _ALLOWED_SEPARATORS:
        separator = compact[-5]
        compact = compact[:-5] + compact[-4:]
    if not (compact.isdigit() and compact.isascii()) or len(compact) not in (10, 12):
        raise _error(FORMAT)
    return compact, separator


def _century_for(short_year: int, separator: str, today: datetime.date) -> int:
    """Full birth year for a two-digit year: `-` → age this year 0–99, `+` → 100–199."""
    base = today.year - (100 if separator == "+" else 0)
    return base - (base - short_year) % 100


def normalise(value: str, today: datetime.date | None = None) -> str:
    """Return the 12-digit form of a personnummer or samordningsnummer, or raise ValidationError.

    `today` decides the century of 10-digit input and which dates are in the future.
    """
    if value is None:
        raise _error(FORMAT)
    today = today or timezone.localdate()
    digits, separator = _digits_and_separator(value)
    if len(digits) == 10:
        digits = f"{_century_for(int(digits[:2]), separator, today):04d}{digits[2:]}"
    code = problem(digits, today)
    if code is not None:
        raise _error(code)
    return digits


def validate_normalised(value: str) -> None:
    """Model field validator: exactly 12 digits that pass every rule."""
    code = problem(value if isinstance(value, str) else "")
    if code is not None:
        raise _error(code)


def is_valid(value: str, today: datetime.date | None = None) -> bool:
    try:
        normalise(value, today)
    except ValidationError:
        return False
    return True


def is_coordination_number(normalised: str) -> bool:
    """Samordningsnummer: the day is the birth day plus 60."""
    return int(normalised[6:8]) > COORDINATION_DAY_OFFSET


def birth_date(normalised: str) -> datetime.date:
    day = int(normalised[6:8])
    if day > COORDINATION_DAY_OFFSET:
        day -= COORDINATION_DAY_OFFSET
    return datetime.date(int(normalised[:4]), int(normalised[4:6]), day)


def is_female(normalised: str) -> bool:
    """The second-last digit (födelsenummer's last) is even for women, odd for men."""
    return int(normalised[10]) % 2 == 0


def display(normalised: str) -> str:
    """ÅÅÅÅMMDD-NNNN, the form staff read (UX.md)."""
    return f"{normalised[:8]}-{normalised[8:]}"


def short_form(normalised: str, today: datetime.date | None = None) -> str:
    """ÅÅMMDD-NNNN, or ÅÅMMDD+NNNN from the year the person turns 100."""
    today = today or timezone.localdate()
    separator = "+" if today.year - int(normalised[:4]) >= 100 else "-"
    return f"{normalised[2:8]}{separator}{normalised[8:]}"


def build(born: datetime.date, serial: int, coordination: bool = False) -> str:
    """Make a checksum-valid 12-digit number (for synthetic demo data and tests).

    `serial` is the three-digit birth number (1–999); its last digit sets the sex.
    """
    if not 1 <= serial <= 999:
        raise ValueError("serial must be 1–999")
    day = born.day + (COORDINATION_DAY_OFFSET if coordination else 0)
    nine = f"{born.year % 100:02d}{born.month:02d}{day:02d}{serial:03d}"
    return f"{born.year:04d}{nine[2:]}{luhn_check_digit(nine)}"
