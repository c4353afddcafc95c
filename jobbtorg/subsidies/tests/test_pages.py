"""The subsidy pages: Swedish, accessible, the same rules as the services, and nothing leaks."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from jobbtorg.audit.models import Action, AuditEntry
from jobbtorg.core.models import Installation
from jobbtorg.subsidies import selectors
from jobbtorg.subsidies.models import CaseStatus, SubsidyCase, SubsidyStep
from jobbtorg.subsidies.steps import StepKind
from jobbtorg.testing import factories as f

from .conftest import login

pytestmark = pytest.mark.django_db


def test_new_case_page_creates_case(client, coach, participation, employer, today):
    login(client, coach)
    url = f"/stod/ny/{participation.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and "Nytt ärende om anställningsstöd" in page.content.decode()
    response = client.post(url, {"subsidy_type": "nystartsjobb", "employer": employer.pk, "notified_on": today.isoformat()})
    case = SubsidyCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/stod/{case.pk}/"


def test_new_case_page_shows_field_errors_and_saves_nothing(client, coach, participation, employer, today):
    login(client, coach)
    response = client.post(
        f"/stod/ny/{participation.pk}/",
        {"subsidy_type": "introduktionsjobb", "employer": employer.pk, "notified_on": today.isoformat(),
         "preceded_by_practice": "on", "notification_text": "praktik"},
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 400
    assert "Rätta felen nedan" in body
    assert 'href="#id_supervisor_name"' in body and 'aria-invalid="true"' in body
    assert "Stockholmsjobb/praktik" in body
    assert not SubsidyCase.objects.exists()


def test_new_case_for_protected_person_offers_no_digital_route(client, coach, employer, today):
    participation = f.ParticipationFactory(enrolled=True, coach=coach, person=f.PersonFactory(protected=True))
    login(client, coach)
    body = client.get(f"/stod/ny/{participation.pk}/").content.decode()
    assert "lokalkontor" in body
    client.post(
        f"/stod/ny/{participation.pk}/",
        {"subsidy_type": "nystartsjobb", "employer": employer.pk, "notified_on": today.isoformat()},
    )
    case = SubsidyCase.objects.get()
    detail = client.get(f"/stod/{case.pk}/").content.decode()
    assert "Handläggs av Arbetsförmedlingens lokalkontor" in detail
    assert "Digital intresseanmälan" not in detail


def test_case_page_for_other_unit_is_404_and_logged(client, other_unit_coach, participation):
    case = f.SubsidyCaseFactory(participation=participation)
    login(client, other_unit_coach)
    assert client.get(f"/stod/{case.pk}/").status_code == 404
    assert AuditEntry.objects.filter(outcome="refused", person_id=participation.person_id).exists()


def test_case_page_shows_intro_warning_and_dates_with_week(client, coach, participation, employer, today):
    case = f.SubsidyCaseFactory(
        participation=participation,
        employer=employer,
        introduktionsjobb=True,
        granted=True,
        planned_start=today,
        decision_on=today,
        notified_on=today - datetime.timedelta(days=3),
    )
    login(client, coach)
    body = client.get(f"/stod/{case.pk}/").content.decode()
    assert "Varning:" in body and "14 dagar" in body
    assert f"v. {today.isocalendar().week}" in body


def test_step_before_previous_refused_on_page(client, coach, participation, today):
    case = f.SubsidyCaseFactory(participation=participation, lonebidrag=True)
    login(client, coach)
    prefix = f"step-{StepKind.LB_3_ELIGIBILITY}"
    response = client.post(f"/stod/{case.pk}/steg/{StepKind.LB_3_ELIGIBILITY}/", {
        f"{prefix}-version": case.version, f"{prefix}-done_on": today.isoformat(), f"{prefix}-outcome": "eligible",
        f"{prefix}-meeting_on": today.isoformat()})  # fmt: skip
    assert response.status_code == 400
    assert "måste vara klart" in response.content.decode()
    assert SubsidyStep.objects.get(case=case, kind=StepKind.LB_3_ELIGIBILITY).status == "waiting"


def test_step_completed_on_page(client, coach, participation, today):
    case = f.SubsidyCaseFactory(participation=participation, lonebidrag=True, notified_on=today)
    login(client, coach)
    prefix = f"step-{StepKind.LB_2_CALLBACK}"
    response = client.post(
        f"/stod/{case.pk}/steg/{StepKind.LB_2_CALLBACK}/",
        {f"{prefix}-version": case.version, f"{prefix}-done_on": today.isoformat()},
    )
    assert response.status_code == 302
    assert SubsidyStep.objects.get(case=case, kind=StepKind.LB_2_CALLBACK).status == "done"


def test_stale_version_on_page_is_409(client, coach, participation, today):
    case = f.SubsidyCaseFactory(participation=participation)
    login(client, coach)
    response = client.post(f"/stod/{case.pk}/beslut/", {
        "decision-version": case.version + 1, "decision-decision_on": today.isoformat(),
        "decision-period_from": today.isoformat(), "decision-period_to": (today + datetime.timedelta(days=90)).isoformat()})  # fmt: skip
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED


def test_termination_task_on_coach_partial(coach, participation, today):
    case = f.SubsidyCaseFactory(participation=participation, granted=True)
    from jobbtorg.subsidies import services

    from .conftest import actor_for

    services.terminate_early(coach, actor_for(coach), case.pk, version=case.version, terminated_on=today, reason="Slutade")
    html = render_to_string(
        "subsidies/_coach_overdue.html", {"subsidy_steps": selectors.coach_steps(coach, today), "today": today}
    )
    assert "arbetsgivarlinje" in html and participation.person.last_name in html


def test_person_section_partial(coach, participation, today):
    f.SubsidyCaseFactory(participation=participation, lonebidrag=True)
    html = render_to_string("subsidies/_person_section.html", {
        "person": participation.person, "subsidy_cases": selectors.cases_for_person(participation.person),
        "subsidy_participation": participation})  # fmt: skip
    assert "Lönebidrag" in html and "PDM" in html and f"/stod/ny/{participation.pk}/" in html


def test_index_lists_visible_cases_with_constant_queries(client, coach, today):
    login(client, coach)

    def make(n):
        for _ in range(n):
            f.SubsidyCaseFactory(participation=f.ParticipationFactory(enrolled=True, coach=coach))

    make(3)
    client.get("/stod/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/stod/").status_code == 200
    make(27)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/stod/")
    assert len(few) == len(many)
    assert "25 ärenden" not in response.content.decode() and "30 ärenden" in response.content.decode()


def test_index_hides_other_units(client, coach, other_unit_coach):
    f.SubsidyCaseFactory(
        participation=f.ParticipationFactory(enrolled=True, coach=coach, person=f.PersonFactory(last_name="Egensson"))
    )
    login(client, other_unit_coach)
    assert "Egensson" not in client.get("/stod/").content.decode()


def test_reports_page_and_excel_export_audited_and_suppressed(client, manager, coach, today):
    for _ in range(6):
        f.SubsidyCaseFactory(participation=f.ParticipationFactory(enrolled=True, coach=coach), lonebidrag_overdue=True)
    f.SubsidyCaseFactory(participation=f.ParticipationFactory(enrolled=True, coach=coach), subsidy_type="nystartsjobb")
    login(client, manager)
    page = client.get("/stod/rapporter/")
    assert page.status_code == 200 and "Lönebidrag" in page.content.decode()

    response = client.get("/stod/rapporter/arenden.xlsx", {"ar": today.year})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    # Each (month, unit, type) row: one type with 6 notified cases is shown, the single nystartsjobb is "<5".
    assert any("<5" in row for row in values)
    assert not any(isinstance(v, int) and 0 < v < 5 for row in values for v in row)
    assert AuditEntry.objects.filter(action=Action.EXPORT, what__contains="stödärenden").count() == 1

    response = client.get("/stod/rapporter/forsenade-steg.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[0] == "Jobbtorg Järva"]
    assert rows and rows[0][3] == 6  # six overdue PDM callbacks at Järva
    assert AuditEntry.objects.filter(action=Action.EXPORT, what__contains="försenade").count() == 1


def test_overdue_export_suppresses_small_cells(client, manager, coach):
    f.SubsidyCaseFactory(participation=f.ParticipationFactory(enrolled=True, coach=coach), lonebidrag_overdue=True)
    login(client, manager)
    sheet = load_workbook(io.BytesIO(client.get("/stod/rapporter/forsenade-steg.xlsx").content)).active
    row = next(r for r in sheet.iter_rows(values_only=True) if r and r[0] == "Jobbtorg Järva")
    assert row[2:] == ("<5", "<5", "<5", "<5")


def test_reports_refused_for_social_worker(client):
    login(client, f.UserFactory(social_worker=True))
    assert client.get("/stod/rapporter/").status_code == 403
    assert client.get("/stod/rapporter/arenden.xlsx").status_code == 403


def test_seed_subsidy_demo_only_on_demo_installation(coach, capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_subsidy_demo")
    Installation.objects.create(is_demo=True)
    for _ in range(3):
        f.ParticipationFactory(enrolled=True, coach=coach)
    call_command("seed_subsidy_demo", "--per-unit", "2")
    printed = json.loads(capsys.readouterr().out)
    assert printed == {"Jobbtorg Järva": {"lb_2_callback": 2}}
    rows = selectors.board()
    assert next(r for r in rows if r.kind == StepKind.LB_2_CALLBACK).overdue == 2
