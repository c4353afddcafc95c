"""The OSA case page: follow-up deadlines as rows whose state badge sits inside its cell."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jobbtorg.core.tests.html_checks import parse, table_problems
from jobbtorg.deadlines import services as deadlines
from jobbtorg.deadlines.rules import OSA_KINDS, Kind
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_case_page_deadline_badges_sit_in_their_cells(client, officer, person):
    today = timezone.localdate()
    case = f.OsaCaseFactory(person=person)
    cases = [
        (today - 5 * DAY, None),  # overdue
        (today - 20 * DAY, today - 25 * DAY),  # done in time
        (today - 40 * DAY, today - 30 * DAY),  # done late
        (today + 30 * DAY, None),  # upcoming
    ]
    deadlines.set_subject_deadlines(OSA_KINDS, [case.pk], [
        deadlines.Clock(Kind.OSA_YEARLY_MEETING, case.pk, due, done_on=done) for due, done in cases
    ])  # fmt: skip
    client.force_login(officer)
    html = client.get(reverse("osa:detail", args=[case.pk])).content.decode()
    assert table_problems(html) == []
    assert ":</label>" not in html and ":</legend>" not in html
    rows = [e for e in parse(html).iter() if e.tag == "tr" and any(c.startswith("deadline-row--") for c in e.classes)]
    # The one vocabulary (deadlines.rules.State); a follow-up done late says so in its cell.
    assert {c for row in rows for c in row.classes} >= {
        "deadline-row--overdue",
        "deadline-row--done",
        "deadline-row--upcoming",
    }
    assert "Klar för sent" in html
    for row in rows:
        badges = [e for e in row.iter() if "deadline" in e.classes]
        assert len(badges) == 1 and badges[0].parent.tag == "td" and badges[0].text().strip()
