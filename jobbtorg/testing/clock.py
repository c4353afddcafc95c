"""The test clock for one test: travel to a particular day, in Stockholm time (issue 8 item 1).

The root conftest.py starts every test session at one fixed instant (JOBBTORG_TEST_CLOCK). A
test whose rows carry fixed dates — "Monday 16 November 2026" — travels to that day with
`on(...)`, so that "today" and the factories' dates agree with them whatever the session clock.
"""

import datetime
import zoneinfo

import time_machine

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def on(day: datetime.date, at: datetime.time = datetime.time(10, 0)) -> time_machine.travel:
    """A context manager (or decorator) that puts the clock at `day` `at` o'clock in Stockholm; it ticks on."""
    return time_machine.travel(datetime.datetime.combine(day, at, tzinfo=STOCKHOLM), tick=True)
