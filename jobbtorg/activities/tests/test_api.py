"""The API for activities, sessions, attendance and deviations: the same services as the UI,
400 with Swedish field errors (never 500), 404 for refusals, 409 on a stale version."""

import pytest
from rest_framework.test import APIClient

from jobbtorg.activities.models import Activity, Attendance, Deviation
from jobbtorg.activities.tests.helpers import days, new_activity, plan_day
from jobbtorg.audit.models import AuditEntry, Outcome
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_catalogue_is_listed(coach):
    response = api(coach).get("/api/v1/catalogue-items/?limit=100")
    assert response.status_code == 200
    assert "Arbetsträning" in [row["name"] for row in response.json()["results"]]


def test_create_activity_end_before_start_is_400_in_swedish(coach, participation, item):
    client = api(coach)
    body = {"participation": participation.pk, "catalogue_item": item.pk, "start_date": days(5), "end_date": days(1)}
    response = client.post("/api/v1/activities/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"end_date": ["Ange ett slutdatum som är efter startdatum"]}
    assert not Activity.objects.exists()

    body["end_date"] = days(20)
    created = client.post("/api/v1/activities/", body, format="json")
    assert created.status_code == 201
    data = created.json()
    assert data["end_date"] == days(20).isoformat() and data["attendance"]["percent"] is None
    assert data["person"] == participation.person_id


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"participation": "x", "catalogue_item": 1},
        {"participation": 10**30, "catalogue_item": 10**30},
        {"participation": 1, "catalogue_item": 999999, "start_date": "2026-13-40"},
        [],
        "text",
    ],
)
def test_bad_activity_input_is_400_never_500(coach, body):
    response = api(coach).post("/api/v1/activities/", body, format="json")
    assert response.status_code in (400, 404)


def test_unknown_or_invisible_participation_is_404(item):
    stranger = f.UserFactory(coach=True, jobbtorg_unit=f.unit("vasterort"))
    participation = f.ParticipationFactory(enrolled=True)
    body = {"participation": participation.pk, "catalogue_item": item.pk, "start_date": days(0), "end_date": days(5)}
    assert api(stranger).post("/api/v1/activities/", body, format="json").status_code == 404
    body["participation"] = 999999
    assert api(stranger).post("/api/v1/activities/", body, format="json").status_code == 404


def test_patch_with_stale_version_is_409(coach, participation, item):
    activity = new_activity(coach, participation, item)
    client = api(coach)
    url = f"/api/v1/activities/{activity.pk}/"
    assert client.patch(url, {"end_date": days(40), "version": activity.version}, format="json").status_code == 200
    stale = client.patch(url, {"end_date": days(50), "version": activity.version}, format="json")
    assert stale.status_code == 409
    assert "Någon annan har ändrat" in stale.json()["detail"]
    bad = client.patch(url, {"start_date": days(60), "version": activity.version + 1}, format="json")
    assert bad.status_code == 400 and bad.json() == {"end_date": ["Ange ett slutdatum som är efter startdatum"]}


def test_followup_replace_via_api(coach, participation, item):
    activity = new_activity(coach, participation, item, start=-10, end=0)
    other = f.CatalogueItemFactory()
    response = api(coach).post(
        f"/api/v1/activities/{activity.pk}/followup/",
        {
            "followed_up_on": days(0),
            "result": "Byter insats.",
            "decision": "replace",
            "version": activity.version,
            "successor": {"catalogue_item": other.pk, "start_date": days(1), "end_date": days(30)},
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "replaced"
    assert Activity.objects.get(predecessor=activity).catalogue_item == other
    missing = api(coach).post(f"/api/v1/activities/{activity.pk}/followup/", {"version": 1}, format="json")
    assert missing.status_code == 400


def test_sessions_single_and_bulk_attendance_via_api(coach, item, social_worker):
    activities = [
        new_activity(coach, f.ParticipationFactory(enrolled=True, coach=coach), item, start=-5, end=5) for _ in range(2)
    ]
    client = api(coach)
    created = client.post(
        "/api/v1/activity-sessions/", {"activities": [a.pk for a in activities], "date": days(-1)}, format="json"
    )
    assert created.status_code == 201
    session_id = created.json()[0]["id"]
    detail = client.get(f"/api/v1/activity-sessions/{session_id}/").json()
    rows = detail["attendances"]
    assert [r["label"] for r in rows] == ["Ej registrerad", "Ej registrerad"]

    url = f"/api/v1/activity-sessions/{session_id}/attendance/"
    bad = client.post(
        url,
        {
            "rows": [
                {"attendance": rows[0]["id"], "status": "present"},
                {"attendance": rows[1]["id"], "status": "absent"},
            ]
        },
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json() == {"rows": [{}, {"absence_reason": ["Ange orsak till frånvaron."]}]}
    assert not Attendance.objects.filter(status__isnull=False).exists()

    ok = client.post(
        url,
        {
            "rows": [
                {"attendance": rows[0]["id"], "status": "present", "version": rows[0]["version"]},
                {"attendance": rows[1]["id"], "status": "absent", "absence_reason": "unexcused", "version": rows[1]["version"]},
            ]
        },
        format="json",
    )
    assert ok.status_code == 200
    assert {r["label"] for r in ok.json()} == {"Närvarande", "Frånvarande – Ogiltig frånvaro"}
    stale = client.post(
        url,
        {"rows": [{"attendance": rows[0]["id"], "status": "absent", "absence_reason": "sick", "version": rows[0]["version"]}]},
        format="json",
    )
    assert stale.status_code == 409

    # Single registration for a day, and a day outside the activity.
    single = client.post(
        "/api/v1/attendance/", {"activity": activities[0].pk, "date": days(-2), "status": "present"}, format="json"
    )
    assert single.status_code == 201 and single.json()["status"] == "present"
    outside = client.post(
        "/api/v1/attendance/", {"activity": activities[0].pk, "date": days(-6), "status": "present"}, format="json"
    )
    assert outside.status_code == 400 and "date" in outside.json()
    patched = client.patch(
        f"/api/v1/attendance/{single.json()['id']}/",
        {"status": "absent", "absence_reason": "child_sick", "version": single.json()["version"]},
        format="json",
    )
    assert patched.status_code == 200 and patched.json()["absence_reason"] == "child_sick"

    # Deviations: the home district lists and acknowledges; others see nothing and are refused.
    deviation = Deviation.objects.get()
    district = api(social_worker)
    listed = district.get("/api/v1/deviations/").json()["results"]
    assert [d["id"] for d in listed] == [deviation.pk]
    other = api(f.UserFactory(social_worker=True, district=f.district("bromma")))
    assert other.get("/api/v1/deviations/").json()["results"] == []
    assert other.get(f"/api/v1/deviations/{deviation.pk}/").status_code == 404
    refused = other.post(f"/api/v1/deviations/{deviation.pk}/acknowledge/", {"district_note": "x"}, format="json")
    assert refused.status_code == 404
    assert AuditEntry.objects.filter(outcome=Outcome.REFUSED, person_id=deviation.participation.person_id).count() >= 2
    ack = district.post(
        f"/api/v1/deviations/{deviation.pk}/acknowledge/",
        {"district_note": "Samtal bokat.", "version": deviation.version},
        format="json",
    )
    assert ack.status_code == 200 and ack.json()["district_note"] == "Samtal bokat."
    again = district.post(f"/api/v1/deviations/{deviation.pk}/acknowledge/", {}, format="json")
    assert again.status_code == 400


def test_missing_list_via_api(coach, participation, item, provider, provider_staff):
    activity = new_activity(coach, participation, item, start=-5, end=5, provider=provider)
    plan_day(coach, [activity], days(-1))
    for user in (coach, provider_staff):
        response = api(user).get("/api/v1/attendance/missing/", {"date": days(0).isoformat()})
        assert response.status_code == 200
        assert [r["label"] for r in response.json()["results"]] == ["Ej registrerad"]
    assert api(coach).get("/api/v1/attendance/missing/", {"date": "igår"}).status_code == 400
    assert api(f.UserFactory(provider_staff=True)).get("/api/v1/attendance/missing/").json()["results"] == []


def test_provider_staff_list_only_own_running_activities(coach, participation, item, provider, provider_staff):
    mine = new_activity(coach, participation, item, start=-5, end=5, provider=provider)
    new_activity(coach, f.ParticipationFactory(enrolled=True, coach=coach), item, start=-5, end=5, provider=f.ProviderFactory())
    response = api(provider_staff).get("/api/v1/activities/")
    assert [a["id"] for a in response.json()["results"]] == [mine.pk]
    assert api(provider_staff).get(f"/api/v1/activities/{mine.pk}/").status_code == 200
