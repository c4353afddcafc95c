"""Issue 8 item 11: a visit is booked on a working day in working hours, not in the past, a first
visit within the first-appointment deadline (5 working days from the referral). The referral
(web form, API) and the later booking (web, API) refuse the same times with the same words.

The clock is frozen on Monday 2026-11-02 09:00 Stockholm time; the deadline is 2026-11-09.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from jobbtorg.core import date_bounds
from jobbtorg.participations.models import Appointment, Participation
from jobbtorg.participations.tests.fixtures import login
from jobbtorg.referrals.tests.helpers import new_number
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MONDAY = datetime.date(2026, 11, 2)
NOW = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=STOCKHOLM)
OK_VISIT = "2026-11-04T10:00"  # Wednesday, within the deadline

PAST = "2026-11-02T08:30"
SUNDAY_NIGHT = "2026-11-08T03:00"
SATURDAY = "2026-11-07T10:00"
EVENING = "2026-11-04T18:00"
TOO_LATE = "2026-11-10T10:00"  # the day after the deadline 2026-11-09
YEAR_2099 = "2099-11-04T10:00"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def referral_body(coach, at: str) -> dict:
    return {
        "personnummer": new_number(),
        "first_name": "Anna",
        "last_name": "Karlsson",
        "target_groups": ["fs-arbetsloshet"],
        "basis": "Arbetslös.",
        "legal_ground": "10 kap. 2 § OSL",
        "referred_on": MONDAY.isoformat(),
        "appointment_at": at,
        "appointment_place": "Jobbtorg Järva",
        "appointment_coach": coach.pk,
    }


def form_body(coach, at: str) -> dict:
    body = referral_body(coach, at)
    body.pop("legal_ground")
    return {**body, "consent_given_on": MONDAY.isoformat(), "consent_scope": "Planering och närvaro"}


REFUSED = [
    (PAST, "Besöket kan inte bokas bakåt i tiden."),
    (SUNDAY_NIGHT, "Besök bokas måndag–fredag, inte på helgdagar."),
    (SUNDAY_NIGHT, "Besöket ska börja mellan 08:00 och 17:00."),
    (SATURDAY, "Besök bokas måndag–fredag, inte på helgdagar."),
    (EVENING, "Besöket ska börja mellan 08:00 och 17:00."),
    (TOO_LATE, "Boka besöket senast 2026-11-09."),
    (YEAR_2099, "Boka besöket senast 2026-11-09."),
]


@pytest.mark.parametrize(("at", "message"), REFUSED)
def test_first_visit_in_working_hours_within_the_deadline_api(social_worker, coach, at, message):
    """issue 8 item 11: the referral API refuses a first visit in the past, at a weekend, at night
    or after the first-appointment deadline, as a 400 field error naming the bound."""
    response = api(social_worker).post("/api/v1/referrals/", referral_body(coach, at), format="json")
    assert response.status_code == 400, response.json()
    assert message in response.json()["appointment_at"]
    assert not Participation.objects.exists()


@pytest.mark.parametrize(("at", "message"), REFUSED)
def test_first_visit_in_working_hours_within_the_deadline_web(client, social_worker, coach, at, message):
    """issue 8 item 11: the referral form refuses the same times, next to the field."""
    login(client, social_worker)
    response = client.post(reverse("referrals:create"), form_body(coach, at))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'aria-describedby="id_appointment_at_error"' in html
    assert not Participation.objects.exists()


def test_first_visit_within_bounds_is_booked_web_and_api(client, social_worker, coach):
    """issue 8 item 11, happy path: a Wednesday 10:00 within the deadline, web and API."""
    response = api(social_worker).post("/api/v1/referrals/", referral_body(coach, OK_VISIT), format="json")
    assert response.status_code == 201, response.json()
    login(client, social_worker)
    response = client.post(reverse("referrals:create"), form_body(coach, "2026-11-09T16:30"))
    assert response.status_code == 302
    assert Appointment.objects.count() == 2


def test_visit_on_a_public_holiday_is_refused():
    """issue 8 item 11: not on a public holiday (juldagen), nor on julafton (core.workdays)."""
    now = datetime.datetime(2026, 12, 21, 9, 0, tzinfo=STOCKHOLM)
    for day in (25, 24):
        at = datetime.datetime(2026, 12, day, 10, 0, tzinfo=STOCKHOLM)
        errors = date_bounds.visit_errors("at", at, now, earliest_day=now.date(), latest_day=datetime.date(2026, 12, 31))
        assert errors == {"at": ["Besök bokas måndag–fredag, inte på helgdagar."]}


def test_absurd_year_is_a_field_error_not_a_500(social_worker, coach):
    """issue 8 item 11: a year after 2100 is refused at the edge (400), before any time-zone arithmetic."""
    response = api(social_worker).post("/api/v1/referrals/", referral_body(coach, "9999-12-31T10:00"), format="json")
    assert response.status_code == 400
    assert response.json()["appointment_at"] == ["Ange ett datum mellan 1900-01-01 och 2100-12-31."]


@pytest.fixture
def imported(coach):
    """A referral from a file three weeks ago: no visit booked, the deadline has passed."""
    return f.ParticipationFactory(
        referred=True, referred_on=datetime.date(2026, 10, 12), unit=coach.jobbtorg_unit, coach=coach
    )


def test_late_first_visit_booking_within_5_working_days_of_booking_api(imported, coach):
    """issue 8 item 11: booked after the deadline, the first visit falls within 5 working days of
    the booking day (2026-11-09); later is refused, also before the referral date."""
    url = f"/api/v1/participations/{imported.pk}/appointments/"
    body = {"starts_at": "2026-11-10T10:00", "place": "Jobbtorg Järva", "coach": coach.pk}
    response = api(coach).post(url, body, format="json")
    assert response.status_code == 400
    assert response.json()["appointment_at"] == ["Boka besöket senast 2026-11-09."]
    response = api(coach).post(url, {**body, "starts_at": "2026-11-09T16:00"}, format="json")
    assert response.status_code in (200, 201), response.json()
    assert imported.appointments.get().kind == Appointment.Kind.FIRST


def test_late_first_visit_booking_web(client, imported, coach):
    """issue 8 item 11: the booking form on the participation page refuses a Sunday night."""
    login(client, coach)
    url = reverse("participations:book", args=[imported.pk])
    body = {"book-appointment_at": SUNDAY_NIGHT, "book-appointment_place": "Jobbtorg Järva", "book-appointment_coach": coach.pk}
    response = client.post(url, body)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Besök bokas måndag–fredag, inte på helgdagar." in html
    assert "Besöket ska börja mellan 08:00 och 17:00." in html
    assert not imported.appointments.exists()
    response = client.post(url, {**body, "book-appointment_at": "2026-11-05T13:15"})
    assert response.status_code == 302
    assert imported.appointments.count() == 1


def test_later_visit_at_most_six_months_ahead(imported, coach):
    """issue 8 item 11: a visit after the first one is at most six months ahead (2027-05-02)."""
    f.AppointmentFactory(participation=imported, coach=coach)
    url = f"/api/v1/participations/{imported.pk}/appointments/"
    body = {"starts_at": "2027-05-03T10:00", "place": "Jobbtorg Järva", "coach": coach.pk}
    response = api(coach).post(url, body, format="json")
    assert response.status_code == 400
    assert response.json()["appointment_at"] == ["Boka besöket senast 2027-05-02."]
    response = api(coach).post(url, {**body, "starts_at": "2027-04-30T10:00"}, format="json")
    assert response.status_code in (200, 201), response.json()
