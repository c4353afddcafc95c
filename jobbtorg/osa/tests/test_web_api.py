"""OSA pages and API: same rules, 400 with Swedish field errors, 404 without relation, 409 on a stale
version, the Excel export audited with small cells suppressed, list queries constant."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jobbtorg.audit.models import AuditEntry
from jobbtorg.osa import selectors
from jobbtorg.osa.models import OsaCase, OsaPeriod
from jobbtorg.testing import factories as f

TODAY = timezone.localdate


@pytest.fixture
def logged_in(client, officer):
    client.force_login(officer)
    return client


def test_case_page_renders_with_sections(logged_in, person):
    case = f.OsaCaseFactory(person=person)
    page = logged_in.get(reverse("osa:detail", args=[case.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    for text in ("Målgrupp och gemensam bedömning", "Perioder", "Förläng anställningen", "Individuell prövning",
                 "Genomförandeplan", "Uppföljning", "Flytt till annan stadsdel", "v. "):  # fmt: skip
        assert text in html


def test_extension_refused_on_page_beyond_24_months(logged_in, person):
    case = f.OsaCaseFactory(person=person, periods=[12, 6])
    response = logged_in.post(
        reverse("osa:extend", args=[case.pk]), {"extension-version": case.version, "extension-months": "12"}
    )
    assert response.status_code == 400
    assert "Registrera en individuell prövning" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert case.periods.count() == 3


def test_extension_of_5_months_refused_on_page_and_api(logged_in, person):
    case = f.OsaCaseFactory(person=person)
    page = logged_in.post(reverse("osa:extend", args=[case.pk]), {"extension-version": case.version, "extension-months": "5"})
    assert page.status_code == 400 and "6 eller 12 månader" in page.content.decode()
    api = logged_in.post(f"/api/v1/osa-cases/{case.pk}/periods/", {"version": case.version, "months": 5},
                         content_type="application/json")  # fmt: skip
    assert api.status_code == 400 and "6 eller 12" in api.json()["months"][0]
    assert case.periods.count() == 1


def test_api_create_refuses_municipal_company_then_creates(logged_in, person):
    company = f.EmployerFactory(kind="municipal_company")
    body = {"person": person.pk, "employer": company.pk, "workplace": "Kontoret", "grounds": ["lss"],
            "assessed_on": str(TODAY()), "assessed_by_district": "A", "assessed_by_af": "B", "af_unit": f.af_unit().pk,
            "assessment_outcome": "in_target_group", "start_date": str(TODAY())}  # fmt: skip
    refused = logged_in.post("/api/v1/osa-cases/", body, content_type="application/json")
    assert refused.status_code == 400 and "kommunalt bolag" in refused.json()["employer"][0]
    assert not OsaCase.objects.exists()
    body["employer"] = f.EmployerFactory(kind="city_administration").pk
    created = logged_in.post("/api/v1/osa-cases/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["periods"][0]["months"] == 6 and created.json()["total_months"] == 6


def test_api_review_then_extension_beyond_24_and_409(logged_in, person):
    case = f.OsaCaseFactory(person=person, periods=[12, 6])
    url = f"/api/v1/osa-cases/{case.pk}/"
    assert logged_in.post(url + "periods/", {"version": 1, "months": 12}, content_type="application/json").status_code == 400
    review = logged_in.post(url + "reviews/", {"reviewed_on": str(TODAY()), "outcome": "approved",
                                               "reasoning": "Individuell prövning: fortsatt behov."},
                            content_type="application/json")  # fmt: skip
    assert review.status_code == 201
    ok = logged_in.post(url + "periods/", {"version": 1, "months": 12}, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["total_months"] == 36
    stale = logged_in.post(url + "periods/", {"version": 1, "months": 6}, content_type="application/json")
    assert stale.status_code in (400, 409)


def test_api_stale_version_is_409(logged_in, person):
    case = f.OsaCaseFactory(person=person)
    url = f"/api/v1/osa-cases/{case.pk}/periods/"
    assert logged_in.post(url, {"version": 1, "months": 6}, content_type="application/json").status_code == 201
    assert logged_in.post(url, {"version": 1, "months": 6}, content_type="application/json").status_code == 409


def test_api_plan_meetings_transfer_and_garbage(logged_in, person):
    case = f.OsaCaseFactory(person=person)
    url = f"/api/v1/osa-cases/{case.pk}/"
    plan = logged_in.put(url + "plan/", {"version": 0, "items": [
        {"activity": "district_budget", "responsible": "district", "planned_on": str(TODAY())}]},
        content_type="application/json")  # fmt: skip
    assert plan.status_code == 200 and plan.json()["version"] == 1
    assert logged_in.put(url + "plan/", {"version": 0, "items": []}, content_type="application/json").status_code in (400, 409)
    assert logged_in.get(url + "plan/").json()["versions"][0]["items"][0]["activity"] == "district_budget"
    meeting = logged_in.post(url + "meetings/", {"held_on": str(TODAY()), "parties": ["employee", "af", "district"]},
                             content_type="application/json")  # fmt: skip
    assert meeting.status_code == 201
    assert meeting.json()["deadlines"][0]["done_on"] == str(TODAY())
    for body in ({"held_on": "nej"}, {"parties": "x" * 5000}, [], "null", {"held_on": None, "parties": [1, {}]}):
        assert logged_in.post(url + "meetings/", body, content_type="application/json").status_code == 400
    for body in ({}, {"version": "x"}, {"version": 1, "to_district": 10**30}, {"version": 1, "to_district": 99999}):
        assert logged_in.post(url + "transfer/", body, content_type="application/json").status_code == 400
    assert logged_in.get("/api/v1/osa-cases/999999/").status_code == 404


def test_api_case_not_reachable_from_other_district(client, person):
    case = f.OsaCaseFactory(person=person)
    client.force_login(f.UserFactory(osa_officer=True, district=f.district("bromma")))
    assert client.get(f"/api/v1/osa-cases/{case.pk}/").status_code == 404
    assert client.get(reverse("osa:detail", args=[case.pk])).status_code == 404
    assert client.get("/api/v1/osa-cases/").json()["results"] == []


def test_places_page_and_excel_export_suppressed_and_audited(logged_in, officer):
    year = TODAY().year
    f.AnnualPlacesFactory(district=officer.district, year=year, planned=3)
    f.OsaCaseFactory()
    page = logged_in.get(reverse("osa:places") + f"?ar={year}")
    assert page.status_code == 200 and "Rinkeby-Kista" in page.content.decode()
    excel = logged_in.get(reverse("osa:places_excel") + f"?ar={year}")
    assert excel.status_code == 200
    sheet = load_workbook(io.BytesIO(excel.content)).active
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Rinkeby-Kista")
    assert row[1] == 3 and row[2] == "<5" and row[3] == "<5" and row[4] == "<5"
    assert AuditEntry.objects.filter(user_id=officer.pk, action="export", what__contains="OSA-platser").exists()
    saved = logged_in.post(reverse("osa:places") + f"?ar={year}", {"year": year, "planned": 7, "version": 1})
    assert saved.status_code == 302
    bad = logged_in.post(reverse("osa:places"), {"year": "x", "planned": -1})
    assert bad.status_code == 400


def test_places_api(logged_in, officer):
    assert logged_in.post("/api/v1/osa-annual-places/", {"district": officer.district_id, "year": 2026, "planned": 4},
                          content_type="application/json").status_code == 200  # fmt: skip
    rows = logged_in.get("/api/v1/osa-annual-places/?year=2026").json()
    assert next(r for r in rows if r["district"] == officer.district_id)["planned"] == 4
    assert logged_in.get("/api/v1/osa-annual-places/?year=abc").status_code == 400
    assert logged_in.post("/api/v1/osa-annual-places/", {"district": officer.district_id, "year": 1, "planned": 4},
                          content_type="application/json").status_code == 400  # fmt: skip


def test_places_refused_for_coach(client, db):
    client.force_login(f.UserFactory(coach=True))
    assert client.get(reverse("osa:places")).status_code == 403
    assert client.get("/api/v1/osa-annual-places/").status_code == 403


def test_new_case_page(logged_in, person):
    assert logged_in.get(reverse("osa:new", args=[person.pk])).status_code == 200
    response = logged_in.post(reverse("osa:new", args=[person.pk]), {"workplace": "x"})
    assert response.status_code == 400 and "Ange minst en av de tre grunderna" in response.content.decode()
    assert not OsaCase.objects.exists()


def test_plan_editor_on_page(logged_in, person):
    case = f.OsaCaseFactory(person=person)
    data = {"plan-version": 0, "plan-note": "", "items-TOTAL_FORMS": 2, "items-INITIAL_FORMS": 0,
            "items-0-activity": "jobbtorg_syv", "items-0-responsible": "jobbtorg", "items-0-planned_on": str(TODAY()),
            "items-1-activity": "af_aids", "items-1-responsible": "", "items-1-planned_on": ""}  # fmt: skip
    bad = logged_in.post(reverse("osa:plan", args=[case.pk]), data)
    assert bad.status_code == 400 and "Välj vem som ansvarar" in bad.content.decode()
    data.update({"items-1-activity": ""})
    assert logged_in.post(reverse("osa:plan", args=[case.pk]), data).status_code == 302
    assert case.plan.versions.get().items.count() == 1


def _queries(call):
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


def test_officer_list_query_count_is_constant(officer, logged_in):
    """3 rows and 30 rows cost the same queries: the selector one, the page the same number."""
    logged_in.get(reverse("osa:index"))  # warm the per-process caches (the demo flag) first
    counts = []
    for rows in (3, 30):
        while OsaCase.objects.count() < rows:
            f.OsaCaseFactory()
        assert _queries(lambda: list(selectors.officer_cases(officer))) == 1
        counts.append(_queries(lambda: logged_in.get(reverse("osa:index"))))
    assert counts[0] == counts[1]


def test_annual_places_query_count_is_constant(db):
    counts = []
    for rows in (3, 30):
        while OsaCase.objects.count() < rows:
            case = f.OsaCaseFactory()
            OsaPeriod.objects.filter(case=case).update(start_date=datetime.date(2025, 1, 1))
        counts.append(_queries(lambda: selectors.annual_places(2025)))
    assert counts == [4, 4]


def test_partials_for_the_lead_render(officer, person, rf):
    from django.template.loader import render_to_string

    from jobbtorg.disabilities import selectors as disability_selectors

    late = f.OsaCaseFactory(person=person, started_long_ago=True)
    html = render_to_string("osa/_officer_start.html", selectors.officer_start(officer))
    assert f"/osa/{late.pk}/" in html and "Försenad" in html and "1 försenad uppföljning" in html
    html = render_to_string("osa/_person_section.html", {"osa_section": selectors.person_section(officer, person)})
    assert f"/osa/{late.pk}/" in html
    assert selectors.person_section(f.UserFactory(coach=True), person) is None
    html = render_to_string("disabilities/_person_section.html",
                            {"disability_section": disability_selectors.person_section(officer, person)})  # fmt: skip
    assert f"/funktionsnedsattning/person/{person.pk}/" in html
    assert disability_selectors.person_section(f.UserFactory(unit_manager=True), person) is None
