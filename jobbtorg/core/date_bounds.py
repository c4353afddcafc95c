"""Bounds for dates and times that every app shares (issue 8 item 11): pure functions and data.

Two layers:

- At the edge, every date field of a form or an API serializer refuses years that can only
  be typing errors (before 1900, after 2100): `validate_sane_date`, attached to every form's
  date fields by core.forms and to the API's date fields by core.api_fields.
- In the rules, the domain's bounds as functions returning {field: [Swedish message]}: the
  visits' here; within the participation in activities.rules and plans.rules, a plan's period
  in plans.rules, a subsidy decision's length in subsidies.rules. The services call them, so
  the web and the API refuse the same things with the same words.

Visits (DOMAIN §4.1: "the person is immediately given an appointment"): Monday–Friday
08:00–17:00 Stockholm time, not on a public holiday (core.workdays), not in the past. A first
visit falls within the FIRST_APPOINTMENT deadline, 5 working days from the referral
(deadlines.rules); when the booking itself is made after that deadline (e.g. after a file
import), within 5 working days from the day of booking. Later visits at most six months ahead
(the longest a plan runs before its review, DOMAIN §4.4).
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jobbtorg.core.workdays import add_months, add_working_days, is_holiday

Errors = dict[str, list[str]]

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)

VISIT_OPENS = datetime.time(8, 0)
VISIT_CLOSES = datetime.time(17, 0)
FIRST_VISIT_WORKING_DAYS = 5  # deadlines.rules: FIRST_APPOINTMENT
LATER_VISIT_MONTHS = 6  # plans.rules.MAX_PLAN_MONTHS


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def is_sane(day: datetime.date) -> bool:
    if isinstance(day, datetime.datetime):
        day = day.date()
    return EARLIEST <= day <= LATEST


def sane_message() -> str:
    return _("Ange ett datum mellan %(first)s och %(last)s.") % {"first": EARLIEST.isoformat(), "last": LATEST.isoformat()}


def validate_sane_date(value: Any) -> None:
    """Django validator (forms and DRF alike): refuse years that can only be typing errors."""
    if isinstance(value, datetime.date) and not is_sane(value):
        raise ValidationError(sane_message(), code="date_out_of_range")


# --- visits -------------------------------------------------------------------------------------


def first_visit_latest(referred_on: datetime.date, today: datetime.date) -> datetime.date:
    """The last day a first visit may be booked for: the FIRST_APPOINTMENT deadline, or 5 working
    days from the booking day when the booking is made after that deadline."""
    deadline = add_working_days(referred_on, FIRST_VISIT_WORKING_DAYS)
    return deadline if deadline >= today else add_working_days(today, FIRST_VISIT_WORKING_DAYS)


def later_visit_latest(today: datetime.date) -> datetime.date:
    return add_months(today, LATER_VISIT_MONTHS)


def visit_errors(
    name: str,
    local_start: datetime.datetime,
    now: datetime.datetime,
    *,
    earliest_day: datetime.date | None,
    latest_day: datetime.date,
) -> Errors:
    """A visit in the Jobbtorg's working hours, not in the past, not before `earliest_day`
    (the referral), not after `latest_day`. Times are Stockholm local time."""
    errors: Errors = {}
    day = local_start.date()
    if local_start < now:
        _add(errors, name, _("Besöket kan inte bokas bakåt i tiden."))
    if earliest_day is not None and day < earliest_day:
        _add(errors, name, _("Besöket kan inte vara före anvisningsdatum %(date)s.") % {"date": earliest_day.isoformat()})
    if day > latest_day:
        _add(errors, name, _("Boka besöket senast %(date)s.") % {"date": latest_day.isoformat()})
    if day.weekday() >= 5 or is_holiday(day):
        _add(errors, name, _("Besök bokas måndag–fredag, inte på helgdagar."))
    if not VISIT_OPENS <= local_start.time().replace(tzinfo=None) < VISIT_CLOSES:
        _add(
            errors,
            name,
            _("Besöket ska börja mellan %(opens)s och %(closes)s.")
            % {"opens": VISIT_OPENS.strftime("%H:%M"), "closes": VISIT_CLOSES.strftime("%H:%M")},
        )
    return errors
