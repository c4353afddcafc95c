"""Dagens tillfällen (issue 10 item 3): the provider's start page lists today's sessions first,
then the coming ones, each opening the group registration (everyone preset as present, saved
all or nothing); the sessions page is in the menu of those who register attendance."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobbtorg.activities import services
from jobbtorg.activities.models import Attendance, Deviation
from jobbtorg.activities.tests.helpers import actor_for, client_for, days, new_activity
from jobbtorg.audit.models import AuditEntry, Outcome
from jobbtorg.core.errors import AccessDenied
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db


def _group(coach, item, provider, n, day, start_time=None):
    activities = [
        new_activity(coach, f.ParticipationFactory(enrolled=True, coach=coach), item, start=-5, end=10, provider=provider)
        for _ in range(n)
    ]
    plan = services.SessionPlan(date=day, start_time=start_time, end_time=None, group=True)
    return services.plan_sessions(coach, actor_for(coach), activities, plan)[0]


def test_provider_sees_todays_sessions_first(coach, item, provider, provider_staff):
    later = _group(coach, item, provider, 2, days(3), datetime.time(9, 0))
    today = _group(coach, item, provider, 3, days(0), datetime.time(13, 0))
    other_provider = _group(coach, item, f.ProviderFactory(), 1, days(0))

    response = client_for(provider_staff).get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert [s.pk for s in response.context["sessions_today"]] == [today.pk]
    assert [s.pk for s in response.context["sessions_upcoming"]] == [later.pk]
    today_link = reverse("activities:session", args=[today.pk])
    assert html.index("Dagens tillfällen") < html.index(today_link) < html.index("Kommande tillfällen")
    assert html.index(today_link) < html.index(reverse("activities:session", args=[later.pk]))
    assert html.index("Dagens tillfällen") < html.index("Deltagare med insats hos er idag")
    assert "0 av 3" in html and "Registrera närvaro" in html
    assert reverse("activities:session", args=[other_provider.pk]) not in html


def test_sessions_page_is_in_the_menu_of_those_who_register(coach, provider_staff, social_worker):
    url = reverse("activities:sessions")
    for user in (coach, provider_staff):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert f'href="{url}"' in response.content.decode()
    assert client_for(social_worker).get(url).status_code == 404
    assert f'href="{url}"' not in client_for(social_worker).get("/").content.decode()


def test_group_registration_presets_present(coach, item, provider, provider_staff):
    session = _group(coach, item, provider, 2, days(0))
    html = client_for(provider_staff).get(reverse("activities:session", args=[session.pk])).content.decode()
    assert html.count('value="present" checked') == 2


def test_bulk_group_registration_is_all_or_nothing(coach, item, provider, provider_staff):
    session = _group(coach, item, provider, 3, days(0))
    a, b, c = session.attendances.order_by("id")
    client = client_for(provider_staff)
    url = reverse("activities:session", args=[session.pk])
    form = {f"a{row.pk}-version": row.version for row in (a, b, c)}
    form.update({f"a{a.pk}-choice": "present", f"a{b.pk}-choice": "absent:unexcused", f"a{c.pk}-choice": "non_cooperation"})

    refused = client.post(url, form)  # non-cooperation without a description: that row is wrong
    html = refused.content.decode()
    assert refused.status_code == 200 and "Ingenting sparades" in html
    assert f'id="row-{c.pk}"' in html and "Beskriv vad som hände vid bristande medverkan." in html
    assert set(Attendance.objects.values_list("status", flat=True)) == {None}
    assert not Deviation.objects.exists()

    form[f"a{c.pk}-note"] = "Vägrade delta i passet."
    assert client.post(url, form).status_code == 302
    assert sorted(Attendance.objects.values_list("status", flat=True)) == ["absent", "non_cooperation", "present"]
    assert Deviation.objects.count() == 2

    # A stale version on one row (someone else corrected it meanwhile): nothing of the form is saved.
    a.refresh_from_db()
    services.register(coach, actor_for(coach), a, services.Registration(a.pk, "absent", "sick", "", a.version))
    stale = client.post(url, {**form, f"a{b.pk}-choice": "present"})
    assert stale.status_code == 409
    assert Attendance.objects.get(pk=b.pk).absence_reason == "unexcused"


def test_another_providers_group_is_refused(coach, item, provider, provider_staff):
    session = _group(coach, item, f.ProviderFactory(), 2, days(0))
    row = session.attendances.first()
    stranger = provider_staff  # staff of another provider than the session's
    assert client_for(stranger).get(reverse("activities:session", args=[session.pk])).status_code == 404
    with pytest.raises(AccessDenied):
        services.register_group(stranger, actor_for(stranger), session, [services.Registration(row.pk, "present")])
    assert AuditEntry.objects.filter(user_id=stranger.pk, outcome=Outcome.REFUSED).exists()
    assert Attendance.objects.get(pk=row.pk).status is None


def test_a_coach_of_another_unit_is_refused_the_group(coach, item):
    session = _group(coach, item, None, 2, days(0))
    stranger = f.UserFactory(coach=True, jobbtorg_unit=f.unit("vasterort"))
    assert client_for(stranger).get(reverse("activities:session", args=[session.pk])).status_code == 404
    with pytest.raises(AccessDenied):
        services.register_group(
            stranger, actor_for(stranger), session, [services.Registration(r.pk, "present") for r in session.attendances.all()]
        )
    assert set(Attendance.objects.values_list("status", flat=True)) == {None}
    listed = client_for(stranger).get(reverse("activities:sessions")).context["sessions_today"]
    assert session.pk not in [s.pk for s in listed]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_todays_sessions_queries_constant(coach, item, provider, provider_staff):
    client = client_for(provider_staff)
    _group(coach, item, provider, 2, days(0))
    client.get("/")  # warm-up
    few = (_queries(client, "/"), _queries(client, reverse("activities:sessions")))
    for n in range(6):
        _group(coach, item, provider, 3, days(n % 3), datetime.time(8 + n, 0))
    many = (_queries(client, "/"), _queries(client, reverse("activities:sessions")))
    assert many == few
