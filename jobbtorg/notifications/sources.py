"""Where notices come from besides the deadlines: the apps above notifications register a
function here when they start (their AppConfig.ready), so notifications reads them without
importing plans, referrals or activities (issue 9 item 5: notifications sits below them).

A source gets the user and the day and returns its notices: counts and a link, no personal data.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from jobbtorg.accounts.models import User


@dataclass(frozen=True)
class Notice:
    label: str
    overdue: int
    due: int
    url: str

    @property
    def total(self) -> int:
        return self.overdue + self.due


NoticeSource = Callable[[User, datetime.date], list[Notice]]

_SOURCES: dict[str, NoticeSource] = {}


def register(name: str, source: NoticeSource) -> None:
    """Add (or, started again, replace) the source `name`."""
    _SOURCES[name] = source


def registered() -> list[NoticeSource]:
    return list(_SOURCES.values())
