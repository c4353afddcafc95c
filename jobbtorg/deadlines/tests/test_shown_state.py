"""What a page calls a deadline: "Snart" only within the rule's warning window (issue 10 item 7)."""

import datetime as dt

from django.template import Context, Template
from django.utils import translation

from jobbtorg.deadlines.rules import Kind, Shown, State, shown_state, state_of

TODAY = dt.date(2026, 11, 25)


def shown(kind: Kind, due: dt.date) -> Shown:
    return shown_state(state_of(is_open=True, due=due, paused_on=None, today=TODAY), kind, due, TODAY)


def test_soon_only_within_warning_window():
    # A plan due in two weeks is soon; a follow-up in 2028 is only coming, never "Snart".
    assert shown(Kind.PLAN_DRAWN_UP, TODAY + dt.timedelta(days=14)) == Shown.SOON
    assert shown(Kind.PLAN_DRAWN_UP, TODAY + dt.timedelta(days=15)) == Shown.UPCOMING
    assert shown(Kind.FOLLOWUP_8_MONTHS, dt.date(2028, 3, 1)) == Shown.UPCOMING
    # A rule counted in months warns a month ahead.
    assert shown(Kind.PLAN_REVIEW, TODAY + dt.timedelta(days=31)) == Shown.SOON
    # The other states are what they are.
    assert shown(Kind.PLAN_DRAWN_UP, TODAY - dt.timedelta(days=1)) == Shown.OVERDUE
    assert shown(Kind.PLAN_DRAWN_UP, TODAY) == Shown.DUE
    assert shown_state(State.PAUSED, Kind.PLAN_DRAWN_UP, TODAY, TODAY) == Shown.PAUSED


def test_soon_badge_never_for_a_date_far_off():
    class Row:
        state = State.UPCOMING
        shown = Shown.UPCOMING

    template = Template("{% load jobbtorg_ui %}{% deadline_state row %}|{% deadline_state state %}")
    with translation.override("sv"):
        html = template.render(Context({"row": Row(), "state": "upcoming"}))
    assert "Snart" not in html and html.count("Kommande") == 2


def test_waiting_since_today_not_zero_working_days():
    template = Template("{% load jobbtorg_ui %}{% waiting_since 0 %}|{% waiting_since 1 %}|{% waiting_since 3 %}")
    with translation.override("sv"):
        assert template.render(Context()) == "sedan idag|sedan 1 arbetsdag|sedan 3 arbetsdagar"
