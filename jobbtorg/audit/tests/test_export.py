"""CSV export of the log review lists for the monthly review (LEGAL.md). The export
is itself logged, holds every row of the filter, and carries person ids only."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.testing import factories as f

from .helpers import at, entry, login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_person")]

PERIOD = "fran=2025-03-01&till=2025-03-31"


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="logg-')
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel opens UTF-8 with a byte-order mark
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_person_log_export_has_every_row_not_one_page(client, sysadmin, coach):
    for i in range(60):
        entry(coach, at("2025-03-10") + datetime.timedelta(minutes=i), person_id=42)
    entry(coach, at("2025-03-10"), person_id=43)
    login(client, sysadmin)

    rows = _csv(client.get(reverse("audit:person_log_csv", kwargs={"person_id": 42}) + "?" + PERIOD))

    assert rows[0] == [
        "Tid",
        "Användare",
        "Roll",
        "Person-id",
        "Händelse",
        "Beskrivning",
        "Vad",
        "Utfall",
        "Klientadress",
        "Markerad för granskning",
    ]
    assert len(rows) == 61
    assert rows[1] == ["2025-03-10 10:59:00", "coach1", "Coach", "42", "Läsning", "öppnade personen", "Personsidan", "Tillåten", "10.0.0.7", "nej"]


def test_export_is_logged_as_an_export_without_a_person(client, manager, coach):
    entry(coach, at("2025-03-10"), person_id=42)
    login(client, manager)

    _csv(client.get(reverse("audit:person_log_csv", kwargs={"person_id": 42}) + "?" + PERIOD))

    export = AuditEntry.objects.get(user_id=manager.pk)
    assert export.action == Action.EXPORT
    assert export.person_id is None
    assert export.outcome == Outcome.ALLOWED
    assert export.acting_role == "unit_manager"
    assert export.what == "Loggexport: vem har tittat på person 42, 2025-03-01–2025-03-31"


def test_export_of_a_protected_persons_log_has_no_name_and_no_personnummer(client, sysadmin, coach):
    person = f.PersonFactory(protected=True, first_name="Hemlignamn", last_name="Skyddadsson")
    entry(coach, at("2025-03-10"), person_id=person.pk, protected=True)
    entry(coach, at("2025-03-11"), person_id=person.pk, what=f"Sök: {person.personnummer}")  # written by mistake
    login(client, sysadmin)

    responses = [
        client.get(reverse("audit:person_log_csv", kwargs={"person_id": person.pk}) + "?" + PERIOD),
        client.get(reverse("audit:user_log_csv") + "?anvandare=coach1&" + PERIOD),
        client.get(reverse("audit:unusual_csv") + "?typ=skyddade&" + PERIOD),
    ]

    for response in responses:
        text = "\n".join(";".join(row) for row in _csv(response))
        assert str(person.pk) in text
        assert "Hemlignamn" not in text and "Skyddadsson" not in text
        assert person.personnummer not in text and person.personnummer[2:] not in text


def test_unusual_export_follows_the_chosen_list(client, sysadmin, coach):
    entry(coach, at("2025-03-10"), person_id=42, allowed=False)
    entry(coach, at("2025-03-10"), person_id=43)
    for i in range(25):
        entry(coach, at("2025-03-12", "14:00") + datetime.timedelta(minutes=i), person_id=100 + i)
    login(client, sysadmin)

    refused = _csv(client.get(reverse("audit:unusual_csv") + "?typ=nekade&" + PERIOD))
    busy = _csv(client.get(reverse("audit:unusual_csv") + "?typ=manga&grans=20&" + PERIOD))

    assert [row[3] for row in refused[1:]] == ["42"]
    assert busy == [["Användare", "Timme", "Antal personer", "Antal loggposter"], ["coach1", "2025-03-12 14:00", "25", "25"]]
    assert AuditEntry.objects.filter(user_id=sysadmin.pk, action=Action.EXPORT).count() == 2


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_defused(client, sysadmin, coach):
    entry(coach, at("2025-03-10"), person_id=42, what='=HYPERLINK("http://example.com")')
    login(client, sysadmin)

    rows = _csv(client.get(reverse("audit:person_log_csv", kwargs={"person_id": 42}) + "?" + PERIOD))

    assert rows[1][6].startswith("'=")


def test_invalid_filters_give_the_form_with_errors_not_a_file(client, sysadmin):
    login(client, sysadmin)

    response = client.get(reverse("audit:person_log_csv", kwargs={"person_id": 42}) + "?fran=2025-04-01&till=2025-03-01")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()
