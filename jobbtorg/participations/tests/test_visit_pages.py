"""The visit pages (issue 10 item 4): the coach's week and one visit with its next steps."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobbtorg.activities.models import Deviation
from jobbtorg.participations import rules, selectors
from jobbtorg.participations.models import Appointment, VisitStatus
from jobbtorg.participations.tests.fixtures import login
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db

TZ = timezone.get_current_timezone()


def at(day: str, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour, minute), tzinfo=TZ)


def visit_at(coach, when, **kwargs):
    p = kwargs.pop("participation", None) or f.ParticipationFactory(enrolled=True, coach=coach, **kwargs.pop("p", {}))
    return f.AppointmentFactory(participation=p, coach=coach, kind=Appointment.Kind.OTHER, starts_at=when, **kwargs)


def test_week_calendar_monday_first_with_week_number(client, coach):
    visit_at(coach, at("2026-11-27", 9, 30))  # Friday
    monday = visit_at(coach, at("2026-11-23", 14))
    visit_at(coach, at("2026-11-30", 10))  # next week: not shown
    cancelled = visit_at(coach, at("2026-11-24", 13), status=VisitStatus.CANCELLED, cancel_reason="Sjuk")
    login(client, coach)
    response = client.get("/deltaganden/kalender/?vecka=2026-W48")
    assert response.status_code == 200
    html = response.content.decode()
    assert "v. 48" in html
    days = [day for day, _visits in response.context["days"]]
    assert days == [datetime.date(2026, 11, 23) + datetime.timedelta(days=i) for i in range(5)]
    assert html.index("2026-11-23") < html.index("2026-11-27")
    assert "14:00" in html and "09:30" in html and "2:00 PM" not in html
    assert f"/personer/{monday.participation.person_id}/" in html
    assert "2026-11-30" not in html
    assert "<del>" in html and cancelled.participation.person.last_name in html
    assert 'href="?vecka=2026-W47"' in html and 'href="?vecka=2026-W49"' in html


def test_week_is_read_from_the_iso_week_or_this_week():
    today = datetime.date(2028, 2, 29)
    assert rules.week_monday("2026-W48", today) == datetime.date(2026, 11, 23)
    assert rules.week_monday("2026-W01", today) == datetime.date(2025, 12, 29)
    for wrong in ("", None, "2026-48", "2026-W99", "0001-W01", "banan"):
        assert rules.week_monday(wrong, today) == datetime.date(2028, 2, 28)
    assert rules.iso_week(datetime.date(2026, 12, 31)) == "2026-W53"


def test_week_calendar_marks_protected_people_without_their_address(client, coach):
    protected = visit_at(coach, at("2026-11-25", 10), p={"person": f.PersonFactory(protected=True)})
    person = protected.participation.person
    login(client, coach)
    html = client.get("/deltaganden/kalender/?vecka=2026-W48").content.decode()
    assert person.get_protection_level_display() in html
    assert person.last_name in html
    assert person.street_address not in html and person.postal_code not in html


def test_week_calendar_is_one_query(client, coach):
    for i in range(3):
        visit_at(coach, at("2026-11-23", 9 + i))
    with CaptureQueriesContext(connection) as ctx:
        visits = list(selectors.week_visits(coach, datetime.date(2026, 11, 23)))
        [v.participation.person.last_name for v in visits]
    assert len(ctx) == 1 and len(visits) == 3
    login(client, coach)
    client.get("/deltaganden/kalender/?vecka=2026-W48")
    with CaptureQueriesContext(connection) as few:
        client.get("/deltaganden/kalender/?vecka=2026-W48")
    for i in range(20):
        visit_at(coach, at("2026-11-24", 8) + datetime.timedelta(minutes=20 * i))
    with CaptureQueriesContext(connection) as many:
        client.get("/deltaganden/kalender/?vecka=2026-W48")
    assert len(many) == len(few)


def test_calendar_is_the_coachs_own(client, manager, social_worker):
    for user in (manager, social_worker):
        login(client, user)
        assert client.get("/deltaganden/kalender/").status_code == 403


def future(coach):
    return visit_at(coach, timezone.now() + datetime.timedelta(days=3))


def test_coach_cancels_a_visit_with_a_reason_on_its_page(client, coach):
    visit = future(coach)
    login(client, coach)
    page = client.get(f"/deltaganden/besok/{visit.pk}/")
    assert page.status_code == 200 and "Ställ in besöket" in page.content.decode()
    refused = client.post(f"/deltaganden/besok/{visit.pk}/", {"action": "cancel", "cancel-version": visit.version, "cancel-reason": ""})
    assert refused.status_code == 400 and "Skriv varför besöket ställs in." in refused.content.decode()
    done = client.post(
        f"/deltaganden/besok/{visit.pk}/", {"action": "cancel", "cancel-version": visit.version, "cancel-reason": "Krockar med läkartid"}
    )
    assert done.status_code == 302
    detail = client.get(done["Location"]).content.decode()
    assert "<del>" in detail and "Krockar med läkartid" in detail
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED


def test_visit_page_offers_only_the_steps_the_table_allows(client, coach):
    visit = visit_at(coach, timezone.now() - datetime.timedelta(hours=1), status=VisitStatus.HELD)
    login(client, coach)
    html = client.get(f"/deltaganden/besok/{visit.pk}/").content.decode()
    assert "Besöket kan inte ändras längre." in html
    assert "Ställ in besöket" not in html and "Deltagaren uteblev" not in html
    response = client.post(f"/deltaganden/besok/{visit.pk}/", {"action": "no_show", "no_show-version": visit.version})
    assert response.status_code == 400
    assert not Deviation.objects.exists()


def test_no_show_on_the_visit_page_reports_to_the_district(client, coach):
    visit = visit_at(coach, timezone.now() - datetime.timedelta(hours=1))
    login(client, coach)
    response = client.post(f"/deltaganden/besok/{visit.pk}/", {"action": "no_show", "no_show-version": visit.version})
    assert response.status_code == 302
    assert Deviation.objects.filter(appointment=visit, district=visit.participation.home_district).exists()


def test_other_units_coach_and_the_district_get_no_visit_page(client, coach, social_worker):
    visit = future(coach)
    stranger = f.UserFactory(coach=True, jobbtorg_unit=f.unit("vasterort"))
    login(client, stranger)
    assert client.get(f"/deltaganden/besok/{visit.pk}/").status_code == 404
    response = client.post(
        f"/deltaganden/besok/{visit.pk}/", {"action": "cancel", "cancel-version": visit.version, "cancel-reason": "x"}
    )
    assert response.status_code in (403, 404)
    login(client, social_worker)
    assert client.get(f"/deltaganden/besok/{visit.pk}/").status_code == 404
    visit.refresh_from_db()
    assert visit.status == VisitStatus.BOOKED


def test_missed_visit_reaches_the_districts_deviation_inbox(client, coach, social_worker):
    visit = visit_at(coach, timezone.now() - datetime.timedelta(hours=1))
    login(client, coach)
    client.post(f"/deltaganden/besok/{visit.pk}/", {"action": "no_show", "no_show-version": visit.version})
    deviation = Deviation.objects.get(appointment=visit)
    login(client, social_worker)
    assert social_worker.district_id == deviation.district_id
    inbox = client.get("/insatser/avvikelser/").content.decode()
    assert "Uteblev från besök kl." in inbox and visit.participation.person.last_name in inbox
    page = client.get(f"/insatser/avvikelser/{deviation.pk}/kvittera/")
    assert page.status_code == 200 and visit.place in page.content.decode()


def test_a_visit_not_yet_begun_offers_no_held_or_no_show(client, coach):
    visit = future(coach)
    login(client, coach)
    html = client.get(f"/deltaganden/besok/{visit.pk}/").content.decode()
    assert "Boka om besöket" in html and "Ställ in besöket" in html
    assert "Besöket är genomfört" not in html and "Deltagaren uteblev" not in html
