"""Assessment pages (sections saved with htmx or a plain POST) and /api/v1/assessments/."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from jobbtorg.assessments import services
from jobbtorg.assessments.models import Assessment, HealthInformation, Status
from jobbtorg.assessments.tests.conftest import actor_for
from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db


def login(user):
    user.save(update_fields=["password"])
    client = Client()
    client.force_login(user)
    return client


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def draft(coach, participation):
    assessment, _ = services.start_draft(coach, actor_for(coach), participation.pk)
    return assessment


def test_coach_starts_fills_and_completes_assessment_on_the_pages(coach, participation):
    c = login(coach)
    start = c.get(reverse("assessments:participation", args=[participation.pk]))
    assert start.status_code == 200 and "Påbörja kartläggningen" in start.content.decode()
    response = c.post(reverse("assessments:participation", args=[participation.pk]))
    assessment = Assessment.objects.get(participation=participation)
    assert response.url == reverse("assessments:detail", args=[assessment.pk])

    # Completing an empty draft is refused; each error links to its field.
    response = c.post(reverse("assessments:complete", args=[assessment.pk]), {"version": assessment.version})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_utbildning-education_level"' in html and 'href="#id_mal-goals"' in html

    # Plain POST of a section (no JavaScript): redirect back to the section.
    response = c.post(reverse("assessments:section", args=[assessment.pk, "utbildning"]),
                      {"version": assessment.version, "utbildning-education_level": "upper_secondary",
                       "utbildning-education_country": "Sverige", "utbildning-education_years": "12"})
    assert response.status_code == 302 and response.url.endswith("#utbildning")
    assessment.refresh_from_db()
    # htmx save of another section: the section comes back, with the new version for every form.
    response = c.post(reverse("assessments:section", args=[assessment.pk, "svenska"]),
                      {"version": assessment.version, "svenska-swedish_level": "sfi_d", "svenska-sfi_test_result": "d",
                       "svenska-sfi_test_date": "2026-10-01"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assessment.refresh_from_db()
    assert html.lstrip().startswith('<section id="svenska"') and re.search(r"Sparad \d\d:\d\d<", html)
    assert f'value="{assessment.version}" class="assessment-version" hx-swap-oob="outerHTML:.assessment-version"' in html
    c.post(reverse("assessments:section", args=[assessment.pk, "mal"]),
           {"version": assessment.version, "mal-goals": "Arbete som elektriker", "mal-goal_occupation": "57"},
           HTTP_HX_REQUEST="true")
    assessment.refresh_from_db()
    assert assessment.goal_occupation_id == 57
    response = c.post(reverse("assessments:work_add", args=[assessment.pk]),
                      {"version": assessment.version, "arbete-occupation": "5", "arbete-years": "2,5"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Planeringsarkitekt" in response.content.decode()
    assessment.refresh_from_db()
    response = c.post(reverse("assessments:complete", args=[assessment.pk]), {"version": assessment.version})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Status.COMPLETE
    page = c.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert "Versionen är låst" in page and "Gör en ny version" in page and "Spara utbildning" not in page


def test_section_errors_are_linked_to_fields(coach, draft):
    response = login(coach).post(reverse("assessments:section", args=[draft.pk, "utbildning"]),
                                 {"version": draft.version, "utbildning-education_years": "ett"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_utbildning-education_years"' in html and 'aria-invalid="true"' in html
    assert Assessment.objects.get(pk=draft.pk).version == draft.version


def test_concurrent_assessment_edit_conflict_on_the_page(coach, colleague, draft):
    data = {"version": draft.version, "mal-goals": "Första"}
    assert login(coach).post(reverse("assessments:section", args=[draft.pk, "mal"]), data).status_code == 302
    second = login(colleague)
    response = second.post(reverse("assessments:section", args=[draft.pk, "mal"]), {**data, "mal-goals": "Andra"})
    assert response.status_code == 409
    assert "Någon annan har ändrat kartläggningen" in response.content.decode()
    # With htmx the conflict is shown in the section (status 200 so htmx swaps it in).
    response = second.post(reverse("assessments:section", args=[draft.pk, "mal"]), {**data, "mal-goals": "Andra"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Någon annan har ändrat kartläggningen" in response.content.decode()
    assert Assessment.objects.get(pk=draft.pk).goals == "Första"


def test_assessment_section_autosaves_and_refuses_stale_version(coach, colleague, draft):
    page = login(coach).get(reverse("assessments:detail", args=[draft.pk])).content.decode()
    # Each section's form saves itself (htmx, in order) and has a save state that screen readers hear.
    assert 'id="mal-form"' in page and 'hx-trigger="submit, autosave"' in page and "data-autosave" in page
    assert 'id="mal-save-state" aria-live="polite"' in page and 'data-unsaved="Ej sparad"' in page
    autosave = {"HTTP_HX_REQUEST": "true", "HTTP_X_AUTOSAVE": "1"}
    url = reverse("assessments:section", args=[draft.pk, "mal"])
    response = login(coach).post(url, {"version": draft.version, "mal-goals": "Undersköterska"}, **autosave)
    # Saved: only the version and the save state come back; the form being typed in is not replaced.
    assert response.status_code == 200 and response["HX-Reswap"] == "none" and response["X-Saved"] == "1"
    html = response.content.decode()
    assert "<form" not in html and re.search(r"Sparad \d\d:\d\d<", html) and 'hx-swap-oob="innerHTML"' in html
    saved = Assessment.objects.get(pk=draft.pk)
    assert saved.goals == "Undersköterska" and f'value="{saved.version}"' in html
    # A colleague's autosave from the page she loaded before: refused with a clear message, never overwrites.
    response = login(colleague).post(url, {"version": draft.version, "mal-goals": "Lärare"}, **autosave)
    html = response.content.decode()
    assert response.status_code == 200 and "X-Saved" not in response and "HX-Reswap" not in response
    assert response["X-Conflict"] == "1"  # the page stops autosaving that section
    assert "Någon annan har ändrat kartläggningen" in html and "Ej sparad" in html
    assert Assessment.objects.get(pk=draft.pk).goals == "Undersköterska"


def test_occupation_search_for_the_select(coach):
    response = login(coach).get(reverse("assessments:occupations"), {"yrke_mal": "elektriker"})
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith("<option") and "Elektriker" in html


def test_assessment_api_flow_and_health_access(coach, colleague, participation):
    c = api(coach)
    created = c.post("/api/v1/assessments/", {"participation": participation.pk}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["health_visible"] is True and "health" not in body
    again = c.post("/api/v1/assessments/", {"participation": participation.pk}, format="json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]

    changed = c.patch(f"/api/v1/assessments/{body['id']}/", {
        "version": body["version"], "education_level": "post_secondary", "swedish_level": "native", "goals": "Lärare",
        "goal_occupation": 57, "guidance_requested": True}, format="json")
    assert changed.status_code == 200, changed.json()
    version = changed.json()["version"]
    rows = c.put(f"/api/v1/assessments/{body['id']}/work-experience/",
                 {"version": version, "rows": [{"occupation": 5, "years": "1.5", "country": "Chile"}]}, format="json")
    assert rows.status_code == 200 and rows.json()["work_experience"][0]["occupation_name"]
    version = rows.json()["version"]
    health = c.patch(f"/api/v1/assessments/{body['id']}/health/", {"version": version, "health": "Astma"}, format="json")
    assert health.status_code == 200 and health.json()["health"] == "Astma"
    assert c.get(f"/api/v1/assessments/{body['id']}/health/").json()["health"] == "Astma"
    assert AuditEntry.objects.filter(user_id=coach.pk, action=Action.READ, what__endswith="hälsa").count() == 1

    # A colleague: the assessment yes, health no (403, audited as refused), and no health in the detail.
    other = api(colleague)
    detail = other.get(f"/api/v1/assessments/{body['id']}/")
    assert detail.status_code == 200 and detail.json()["health_visible"] is False and "Astma" not in detail.content.decode()
    refused = other.get(f"/api/v1/assessments/{body['id']}/health/")
    assert refused.status_code == 403 and "egen coach" in refused.json()["detail"]
    assert AuditEntry.objects.filter(user_id=colleague.pk, outcome=Outcome.REFUSED, what__endswith="hälsa").count() == 1
    assert other.patch(f"/api/v1/assessments/{body['id']}/health/", {"version": version + 1, "health": "x"},
                       format="json").status_code == 403
    assert HealthInformation.objects.get(assessment_id=body["id"]).health == "Astma"

    stale = c.post(f"/api/v1/assessments/{body['id']}/complete/", {"version": version}, format="json")
    assert stale.status_code == 409
    done = c.post(f"/api/v1/assessments/{body['id']}/complete/", {"version": version + 1}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "complete"
    frozen = c.patch(f"/api/v1/assessments/{body['id']}/", {"version": done.json()["version"], "goals": "x"}, format="json")
    assert frozen.status_code == 400 and "slutförd" in str(frozen.json())
    versions = c.get(f"/api/v1/assessments/?participation={participation.pk}").json()["results"]
    assert [v["number"] for v in versions] == [1]


@pytest.mark.parametrize("body", [
    {"version": "x"},
    {"version": 10**20},
    {"version": 1, "education_level": "doktor"},
    {"version": 1, "education_years": 200},
    {"version": 1, "goal_occupation": 10**20},
    {"version": 1, "goal_occupation": 999999},
    {"version": 1, "sfi_test_date": "2026-13-01"},
    {"version": 1, "guidance_requested": "kanske"},
])
def test_assessment_api_bad_input_is_400(coach, draft, body):
    response = api(coach).patch(f"/api/v1/assessments/{draft.pk}/", body, format="json")
    assert response.status_code == 400, response.content
    assert Assessment.objects.get(pk=draft.pk).version == draft.version


def test_assessment_api_bad_rows_and_ids(coach, draft):
    c = api(coach)
    rows = c.put(f"/api/v1/assessments/{draft.pk}/work-experience/",
                 {"version": draft.version, "rows": [{"occupation": 5, "years": "-1"}]}, format="json")
    assert rows.status_code == 400
    assert c.put(f"/api/v1/assessments/{draft.pk}/work-experience/", "nej", content_type="application/json").status_code == 400
    assert c.get("/api/v1/assessments/").status_code == 400
    assert c.get("/api/v1/assessments/99999999/").status_code == 404
    assert c.get("/api/v1/occupations/").status_code == 400
    assert c.get("/api/v1/occupations/?q=lager").status_code == 200


def test_assessment_versions_list_query_count_constant(coach, participation):
    client = api(coach)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/api/v1/assessments/?participation={participation.pk}").status_code == 200
        return len(ctx.captured_queries)

    for number in range(1, 4):
        f.AssessmentFactory(participation=participation, number=number, complete=True)
    small = queries()
    for number in range(4, 31):
        f.AssessmentFactory(participation=participation, number=number, complete=True)
    large = queries()
    assert small == large, (small, large)
