"""The participation and referral API (issue 3 part 12): same services, rules and audit as the UI;
400 with Swedish field errors, 403/404 refusals, 409 on conflict, never a 500."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from jobbtorg.audit.models import AuditEntry, Outcome
from jobbtorg.participations.models import Participation, PostClosureFollowUp, Status
from jobbtorg.referrals.csv_import import COLUMNS
from jobbtorg.referrals.models import Referral
from jobbtorg.referrals.tests.helpers import bad_checksum, new_number
from jobbtorg.testing import factories as f
from jobbtorg.testing.dates import visit_slot

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def referral_body(coach, **overrides):
    today = timezone.localdate()
    body = {
        "personnummer": new_number(),
        "first_name": "Anna",
        "last_name": "Karlsson",
        "target_groups": ["fs-arbetsloshet"],
        "basis": "Arbetslös.",
        "legal_ground": "10 kap. 2 § OSL",
        "referred_on": today.isoformat(),
        "appointment_at": visit_slot(2).isoformat(),
        "appointment_place": "Jobbtorg Järva",
        "appointment_coach": coach.pk,
    }
    body.update(overrides)
    return body


def test_api_referral_create_and_list_own_district(social_worker, coach):
    response = api(social_worker).post("/api/v1/referrals/", referral_body(coach), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["unit_name"] == "Jobbtorg Järva" and response.json()["source"] == "api"
    listing = api(social_worker).get("/api/v1/referrals/").json()
    assert listing["count"] == 1
    bromma = f.UserFactory(social_worker=True, district=f.district("bromma"))
    assert api(bromma).get("/api/v1/referrals/").json()["count"] == 0


def test_api_referral_bad_input_is_400_with_swedish_field_errors(social_worker, coach):
    client = api(social_worker)
    response = client.post("/api/v1/referrals/", referral_body(coach, target_groups=["ovriga"], legal_ground=""), format="json")
    assert response.status_code == 400
    errors = response.json()
    assert "alla tre villkor" in errors["target_groups"][0]
    assert "consent_given_on" in errors
    for body in ([1, 2], {"referred_on": "igår"}, referral_body(coach, appointment_coach=10**30), referral_body(coach, home_district=987654)):
        assert client.post("/api/v1/referrals/", body, format="json").status_code == 400
    assert not Participation.objects.exists()


def test_api_referral_by_other_roles_refused(coach):
    assert api(coach).post("/api/v1/referrals/", referral_body(coach), format="json").status_code == 403


def test_api_csv_import_is_all_or_nothing(social_worker, today, settings):
    # The import runs as a background task (issue 8 item 8); here it runs at once.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}

    def line(number):
        return ";".join([number, "Ali", "Ahmed", "sfi", "SFI", today.isoformat(), "Planering", "", today.isoformat()])

    bad = "\n".join([";".join(COLUMNS), line(new_number()), line(bad_checksum(new_number()))]).encode()
    response = api(social_worker).post("/api/v1/referrals/import/", bad, content_type="text/csv")
    assert response.status_code == 400
    assert response.json()["errors"] == ["Rad 3: personnumret har fel kontrollsiffra."]
    assert not Referral.objects.exists()

    good = "\n".join([";".join(COLUMNS), line(new_number()), line(new_number())]).encode()
    response = api(social_worker).post("/api/v1/referrals/import/", good, content_type="text/csv")
    assert response.status_code == 201 and response.json()["created"] == 2


def test_api_participation_path_from_arrival_to_closure(coach, today):
    p = f.ParticipationFactory(referred=True, coach=coach, referred_on=today - 5 * DAY)
    client = api(coach)
    url = f"/api/v1/participations/{p.pk}/"
    data = client.get(url).json()
    assert data["status"] == "referred" and data["person"]["id"] == p.person_id

    data = client.post(url + "arrive/", {"version": data["version"], "arrived_on": (today - 4 * DAY).isoformat()}, format="json").json()
    assert data["status"] == "active" and any(d["kind"] == "plan_drawn_up" for d in data["deadlines"])
    data = client.post(url + "interrupt/", {"version": data["version"], "start_date": (today - 3 * DAY).isoformat(), "reason": "illness"},
                       format="json").json()
    assert data["status"] == "interrupted" and all(d["state"] == "paused" for d in data["deadlines"])
    data = client.post(url + "restart/", {"version": data["version"], "end_date": today.isoformat()}, format="json").json()
    assert data["status"] == "active"

    response = client.post(url + "close/", {"version": data["version"], "closed_on": today.isoformat()}, format="json")
    assert response.status_code == 400
    assert response.json()["reason"] == ["Välj en avslutsorsak. Ett deltagande kan inte avslutas utan orsak."]
    response = client.post(url + "close/", {"version": data["version"], "closed_on": today.isoformat(), "reason": "work",
                                            "employment_form": "permanent", "employment_extent": "full_time",
                                            "wage_subsidy": "none", "employment_lasts_a_month": True}, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "closed" and data["counts_as_work_or_studies"] is True
    assert {fu["point"] for fu in data["followups"]} == {"2_months", "8_months"}


def test_api_concurrent_edit_gets_409(coach, manager, other_coach, today):
    p = f.ParticipationFactory(referred=True, coach=coach, referred_on=today - 5 * DAY)
    stale = p.version
    # The manager confirms the coach meanwhile (the coach keeps the person: issue 8 item 6).
    assert api(manager).post(f"/api/v1/participations/{p.pk}/assign-coach/", {"version": stale, "coach": coach.pk},
                             format="json").status_code == 200
    response = api(coach).post(f"/api/v1/participations/{p.pk}/arrive/", {"version": stale, "arrived_on": today.isoformat()},
                               format="json")
    assert response.status_code == 409
    assert "Någon annan har ändrat" in response.json()["detail"]
    assert Participation.objects.get(pk=p.pk).status == Status.REFERRED


def test_api_refusals_are_404_or_403_and_logged(coach, today):
    p = f.ParticipationFactory(referred=True, coach=coach, referred_on=today - 5 * DAY)
    stranger = f.UserFactory(coach=True, jobbtorg_unit=f.unit("sydost"))
    assert api(stranger).get(f"/api/v1/participations/{p.pk}/").status_code == 404
    assert api(stranger).post(f"/api/v1/participations/{p.pk}/arrive/", {"version": 1, "arrived_on": today.isoformat()},
                              format="json").status_code == 404
    assert AuditEntry.objects.filter(user_id=stranger.pk, outcome=Outcome.REFUSED).count() == 2
    assert api(coach).post(f"/api/v1/participations/{p.pk}/assign-coach/", {"version": 1, "coach": coach.pk},
                           format="json").status_code == 403
    assert api(coach).get("/api/v1/participations/99999999/").status_code == 404


def test_api_bad_input_never_500(coach, today):
    p = f.ParticipationFactory(enrolled=True, coach=coach)
    client = api(coach)
    for path, body in [
        ("arrive/", {"version": "x"}),
        ("arrive/", []),
        ("interrupt/", {"version": 1, "start_date": "2026-13-01", "reason": "semester"}),
        ("close/", {"version": 2**40, "closed_on": today.isoformat(), "reason": "moved"}),
        ("followups/2_months/", {"version": 1, "outcome_sustained": True}),
    ]:
        response = client.post(f"/api/v1/participations/{p.pk}/{path}", body, format="json")
        assert response.status_code in (400, 404), (path, response.status_code)
    # Assigning a coach is the unit manager's (participations.assign_coach): her bad input is a 400.
    manager = f.UserFactory(unit_manager=True, jobbtorg_unit=p.unit)
    response = api(manager).post(f"/api/v1/participations/{p.pk}/assign-coach/", {"version": 1, "coach": 10**25}, format="json")
    assert response.status_code in (400, 404)


def test_api_followup_after_closure(coach, today):
    p = f.ParticipationFactory(closed=True, coach=coach, referred_on=today - 300 * DAY, arrived_on=today - 290 * DAY,
                               closed_on=today - 70 * DAY)
    PostClosureFollowUp.objects.create(participation=p, point="2_months", due_on=today - DAY)
    response = api(coach).post(f"/api/v1/participations/{p.pk}/followups/2_months/",
                               {"version": 1, "assistance_reduction_kr": 3000, "outcome_sustained": False}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["followups"][0]["outcome_sustained"] is False


def test_api_target_groups_listed(coach):
    codes = [g["code"] for g in api(coach).get("/api/v1/target-groups/").json()["results"]]
    assert "ovriga" in codes and "fs-arbetsloshet" in codes
