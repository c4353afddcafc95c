"""The OSA case page: follow-up deadlines as rows whose state badge sits inside its cell."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jobbtorg.core.tests.html_checks import parse, table_problems
from jobbtorg.osa.models import FollowUpDeadline
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_case_page_deadline_badges_sit_in_their_cells(client, officer, person):
    today = timezone.localdate()
    case = f.OsaCaseFactory(person=person)
    FollowUpDeadline.objects.filter(case=case).delete()
    kind = FollowUpDeadline._meta.get_field("kind").choices[0][0]
    for sequence, (due, done) in enumerate(
        [
            (today - 5 * DAY, None),  # overdue
            (today - 20 * DAY, today - 25 * DAY),  # done in time
            (today - 40 * DAY, today - 30 * DAY),  # done late
            (today + 30 * DAY, None),  # open
        ]
    ):
        FollowUpDeadline.objects.create(case=case, kind=kind, sequence=sequence, due_date=due, done_on=done)
    client.force_login(officer)
    html = client.get(reverse("osa:detail", args=[case.pk])).content.decode()
    assert table_problems(html) == []
    assert ":</label>" not in html and ":</legend>" not in html
    rows = [e for e in parse(html).iter() if e.tag == "tr" and any(c.startswith("deadline-row--") for c in e.classes)]
    assert {c for row in rows for c in row.classes} >= {
        "deadline-row--overdue",
        "deadline-row--done",
        "deadline-row--late",
        "deadline-row--open",
    }
    for row in rows:
        badges = [e for e in row.iter() if "deadline" in e.classes]
        assert len(badges) == 1 and badges[0].parent.tag == "td" and badges[0].text().strip()
