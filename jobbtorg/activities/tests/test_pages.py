"""The activity pages (/insatser/): Swedish forms, refusals as 404, htmx rows, CSP-safe markup,
and a constant number of queries for the lists (3 rows cost what 30 cost)."""

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobbtorg.activities import selectors, services
from jobbtorg.activities.models import Activity, Attendance, Deviation
from jobbtorg.activities.tests.helpers import actor_for, client_for, days, new_activity, plan_day, reg
from jobbtorg.audit.models import AuditEntry, Outcome
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db


def assert_csp_safe(html: str) -> None:
    """No inline script or style: the Content-Security-Policy allows 'self' only."""
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_create_activity_page_refuses_end_before_start_in_swedish(coach, participation, item):
    client = client_for(coach)
    url = reverse("activities:create", args=[participation.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert_csp_safe(page.content.decode())
    response = client.post(url, {"catalogue_item": item.pk, "start_date": days(5).isoformat(), "end_date": days(1).isoformat()})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ange ett slutdatum som är efter startdatum" in html
    assert 'href="#id_end_date"' in html  # the error summary links to the field
    assert 'aria-describedby="id_end_date_helptext id_end_date_error"' in html
    assert not Activity.objects.exists()
    response = client.post(url, {"catalogue_item": item.pk, "start_date": days(0).isoformat(), "end_date": days(10).isoformat()})
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("activities:detail", args=[activity.pk])


def test_other_unit_coach_gets_404_and_is_audited(participation, item):
    stranger = f.UserFactory(coach=True, jobbtorg_unit=f.unit("vasterort"))
    client = client_for(stranger)
    assert client.get(reverse("activities:create", args=[participation.pk])).status_code == 404
    assert AuditEntry.objects.filter(user_id=stranger.pk, outcome=Outcome.REFUSED, person_id=participation.person_id).exists()


def test_detail_edit_and_conflict(coach, participation, item):
    activity = new_activity(coach, participation, item)
    client = client_for(coach)
    page = client.get(reverse("activities:detail", args=[activity.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "Arbetsträning" in html and "v. " in html
    assert_csp_safe(html)
    url = reverse("activities:edit", args=[activity.pk])
    form = {"start_date": activity.start_date.isoformat(), "end_date": days(40).isoformat(), "version": activity.version}
    assert client.post(url, form).status_code == 302
    stale = client.post(url, {**form, "end_date": days(50).isoformat()})
    assert stale.status_code == 409
    assert "Någon annan har ändrat uppgifterna" in stale.content.decode()
    assert Activity.objects.get().end_date == days(40)


def test_followup_page_replaces(coach, participation, item):
    activity = new_activity(coach, participation, item, start=-20, end=0)
    client = client_for(coach)
    url = reverse("activities:followup", args=[activity.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "followed_up_on": days(0).isoformat(),
            "result": "Byt till praktik.",
            "decision": "replace",
            "successor_catalogue_item": f.CatalogueItemFactory().pk,
            "successor_start_date": days(1).isoformat(),
            "successor_end_date": days(30).isoformat(),
            "version": activity.version,
        },
    )
    successor = Activity.objects.get(predecessor=activity)
    assert response.status_code == 302 and response["Location"] == reverse("activities:detail", args=[successor.pk])


def test_session_page_group_registration_and_htmx_row(coach, item):
    activities = [
        new_activity(coach, f.ParticipationFactory(enrolled=True, coach=coach), item, start=-5, end=5) for _ in range(2)
    ]
    session = plan_day(coach, activities, days(0))
    a, b = session.attendances.order_by("id")
    client = client_for(coach)
    url = reverse("activities:session", args=[session.pk])
    html = client.get(url).content.decode()
    assert html.count("<fieldset") >= 2 and "<legend>" in html
    assert "Ej registrerad" in html
    assert_csp_safe(html)

    # One invalid row: nothing saved, the error is shown on that row and in the summary.
    bad = client.post(url, {f"a{a.pk}-choice": "present", f"a{b.pk}-choice": "absent:other", f"a{b.pk}-note": ""})
    assert bad.status_code == 200
    assert "Ingenting sparades" in bad.content.decode()
    assert "Beskriv orsaken när du väljer Annat skäl." in bad.content.decode()
    assert set(Attendance.objects.values_list("status", flat=True)) == {None}

    ok = client.post(
        url,
        {
            f"a{a.pk}-choice": "present",
            f"a{a.pk}-version": a.version,
            f"a{b.pk}-choice": "absent:unexcused",
            f"a{b.pk}-version": b.version,
        },
    )
    assert ok.status_code == 302
    assert Deviation.objects.get().attendance_id == b.pk

    # htmx: one row, answered with the row's fieldset only.
    a.refresh_from_db()
    row = client.post(
        url, {"only": str(a.pk), f"a{a.pk}-choice": "absent:sick", f"a{a.pk}-version": a.version}, HTTP_HX_REQUEST="true"
    )
    assert row.status_code == 200
    body = row.content.decode()
    assert body.lstrip().startswith("<fieldset") and "Sparat: Frånvarande – Sjuk" in body
    assert Attendance.objects.get(pk=a.pk).absence_reason == "sick"


def test_session_page_is_404_for_those_who_may_not_register(coach, participation, item, social_worker):
    activity = new_activity(coach, participation, item)
    session = plan_day(coach, [activity], days(0))
    for user in (social_worker, f.UserFactory(provider_staff=True)):
        assert client_for(user).get(reverse("activities:session", args=[session.pk])).status_code == 404


def test_register_day_page_outside_period(coach, participation, item):
    activity = new_activity(coach, participation, item, start=-5, end=-1)
    response = client_for(coach).post(
        reverse("activities:register_day", args=[activity.pk]), {"date": days(0).isoformat(), "choice": "present"}
    )
    assert response.status_code == 200
    assert "Närvaro kan bara registreras för dagar inom insatsens period" in response.content.decode()
    assert not Attendance.objects.exists()


def test_group_session_create_page(provider, provider_staff, coach, item):
    activities = [
        new_activity(coach, f.ParticipationFactory(enrolled=True, coach=coach), item, start=-5, end=5, provider=provider)
        for _ in range(2)
    ]
    client = client_for(provider_staff)
    url = reverse("activities:group_session_create")
    page = client.get(url, {"catalogue_item": item.pk, "date": days(0).isoformat()})
    html = page.content.decode()
    assert page.status_code == 200 and html.count('name="activities"') == 2
    assert "Rätta felen" not in html  # a lookup is not a failed post
    assert_csp_safe(html)
    partial = client.get(url, {"catalogue_item": item.pk, "date": days(0).isoformat()}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert body.startswith('<div id="candidates"') and f'name="catalogue_item" value="{item.pk}"' in body
    response = client.post(
        url,
        {
            "catalogue_item": item.pk,
            "date": days(0).isoformat(),
            "activities": [a.pk for a in activities],
            "weekdays": ["0", "1", "2", "3", "4"],
        },
    )
    assert response.status_code == 302
    assert Attendance.objects.filter(activity__in=activities).count() == 2


def test_missing_page_and_deviation_inbox_and_acknowledge(coach, participation, item, social_worker):
    activity = new_activity(coach, participation, item, start=-5, end=5)
    missing = plan_day(coach, [activity], days(-2)).attendances.get()
    absent = plan_day(coach, [activity], days(-1)).attendances.get()
    services.register(coach, actor_for(coach), absent, reg(absent, "absent", "unexcused"))

    page = client_for(coach).get(reverse("activities:missing"))
    html = page.content.decode()
    assert page.status_code == 200 and f"#row-{missing.pk}" in html and f"#row-{absent.pk}" not in html
    assert_csp_safe(html)

    client = client_for(social_worker)
    inbox = client.get(reverse("activities:deviations"))
    assert inbox.status_code == 200 and "Ogiltig frånvaro" in inbox.content.decode()
    deviation = Deviation.objects.get()
    url = reverse("activities:deviation_acknowledge", args=[deviation.pk])
    assert client.get(url).status_code == 200
    other = client_for(f.UserFactory(social_worker=True, district=f.district("bromma")))
    assert other.post(url, {"district_note": "x", "version": deviation.version}).status_code == 404
    assert AuditEntry.objects.filter(
        outcome=Outcome.REFUSED, person_id=participation.person_id, what__contains="avvikelse"
    ).exists()
    response = client.post(url, {"district_note": "Kallad till möte.", "version": deviation.version})
    assert response.status_code == 302
    deviation.refresh_from_db()
    assert deviation.acknowledged_by == social_worker and deviation.district_note == "Kallad till möte."
    assert client_for(coach).get(reverse("activities:deviations")).status_code == 404


def test_attendance_summary_and_partials(coach, participation, item):
    activity = new_activity(coach, participation, item, start=-5, end=5)
    services.register_day(coach, actor_for(coach), activity, days(-1), "present")
    page = client_for(coach).get(reverse("activities:attendance_summary", args=[participation.pk]))
    assert page.status_code == 200 and "100 %" in page.content.decode()

    section = render_to_string(
        "activities/_person_section.html", {"activity_section": selectors.person_section(coach, participation.person)}
    )
    assert "Insatser och närvaro" in section and "Arbetsträning" in section and "Ny insats" in section
    assert_csp_safe(section)
    html = render_to_string("activities/_missing_registrations.html", {"missing": []})
    assert "All närvaro är registrerad." in html
    html = render_to_string("activities/_deviation_inbox.html", {"deviations": [], "hidden_deviations": 2})
    assert "2 avvikelser gäller personer med skyddade personuppgifter" in html


# --- Constant queries: 3 rows cost what 30 cost ---------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
    return len(ctx.captured_queries)


def _participants(coach, item, n, provider=None):
    return [
        new_activity(coach, f.ParticipationFactory(enrolled=True, coach=coach), item, start=-5, end=5, provider=provider)
        for _ in range(n)
    ]


def test_missing_list_queries_constant(coach, item):
    client = client_for(coach)
    url = reverse("activities:missing")
    plan_day(coach, _participants(coach, item, 3), days(-1))
    small = _count(client, url)
    plan_day(coach, _participants(coach, item, 27), days(-1))
    assert Attendance.objects.filter(status__isnull=True).count() == 30
    assert _count(client, url) == small


def test_deviation_inbox_queries_constant(coach, item, social_worker):
    client = client_for(social_worker)
    url = reverse("activities:deviations")

    def absent(activities):
        session = plan_day(coach, activities, days(-1))
        services.register_group(
            coach, actor_for(coach), session, [reg(a, "absent", "unexcused") for a in session.attendances.all()]
        )

    absent(_participants(coach, item, 3))
    small = _count(client, url)
    absent(_participants(coach, item, 27))
    assert Deviation.objects.count() == 30
    assert _count(client, url) == small


def test_session_registration_page_queries_constant(coach, item):
    client = client_for(coach)
    small_session = plan_day(coach, _participants(coach, item, 3), days(0))
    large_session = plan_day(coach, _participants(coach, item, 30), days(0))
    small = _count(client, reverse("activities:session", args=[small_session.pk]))
    large = _count(client, reverse("activities:session", args=[large_session.pk]))
    assert large == small
