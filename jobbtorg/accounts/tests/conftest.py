import datetime

import pytest
from django.utils import timezone


class Clock:
    """What timezone.now() returns during a test; move it with `clock.advance(minutes=16)`."""

    def __init__(self) -> None:
        self.now = timezone.now()

    def advance(self, **delta: float) -> None:
        self.now += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock
