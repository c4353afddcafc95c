"""Issue 8 item 10: bad input never gives a 500.

NUL bytes in searches and forms (400 with a Swedish message, web and API), names of only
invisible characters or with bidi overrides (refused, web and API), Excel exports that keep
"=…" text as text, `Cache-Control: no-store` on every API answer, and eligibility-facts
refusals logged as refused only.
"""

import io
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.core.excel import append_row, safe_cell
from jobbtorg.core.middleware import NUL_MESSAGE
from jobbtorg.core.validators import validate_person_name
from jobbtorg.people.models import Person
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db

# Skatteverket test numbers (../shared/data/testpersonnummer), never real people.
NEW_NUMBER = "19811218-9876"
BIDI_NAMES = ["Anna\u202eassoN", "\u202aErik", "Sara\u202b", "\u202cAli", "Ali\u202d", "\u2066Johan\u2069", "Fa\u2067tima", "Nora\u2068"]
INVISIBLE_NAMES = ["\u200b", "\u200b\u200c\u200d", "\u2060\ufeff", "\u200b \u200b"]
NAME_MESSAGES = ("vänder textens riktning", "bara osynliga tecken")
NUL_VALUES = ["\x00", "Anna\x00", "\x00" * 50, "19850709\x009805", "%00"]


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def coach():
    return f.UserFactory(coach=True)


@pytest.fixture
def web(client, coach):
    coach.save()
    client.force_login(coach)
    return client


# --- NUL ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", NUL_VALUES)
@pytest.mark.parametrize("path", ["/personer/sok/", "/kartlaggning/yrken/", "/anvisningar/"])
def test_nul_in_a_web_search_is_400_not_500(web, path, value):
    """issue 8 item 10: NUL in ?q= of the person search and the occupation search is a 400 with a Swedish message."""
    response = web.get(path, {"q": value})
    if "\x00" not in value:  # "%00" typed as text is harmless text
        assert response.status_code in (200, 403)
        return
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_nul_in_a_parameter_name_and_in_the_path_is_400(web):
    """issue 8 item 10: NUL in a parameter's name or in the path is refused the same way."""
    assert web.get("/personer/sok/", {"q\x00": "x"}).status_code == 400
    assert web.get("/personer/sok\x00/").status_code == 400
    assert web.get("/personer/sok/?q=%00%00").status_code == 400


def test_normal_searches_still_answer(web):
    assert web.get("/personer/sok/", {"q": "Anna"}).status_code == 200
    assert web.get("/kartlaggning/yrken/", {"q": "snick"}).status_code == 200


def test_nul_in_a_posted_form_is_400(web):
    """issue 8 item 10: NUL in a form field (POST) is refused before the view saves anything."""
    response = web.post("/anvisningar/ny/", {"personnummer": NEW_NUMBER, "first_name": "Nora\x00", "last_name": "Lind"})
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert not Person.objects.exists()


@pytest.mark.parametrize("value", [v for v in NUL_VALUES if "\x00" in v])
@pytest.mark.parametrize("path", ["/api/v1/persons/", "/api/v1/occupations/", "/api/v1/participations/"])
def test_nul_in_an_api_search_is_400(coach, path, value):
    """issue 8 item 10: NUL in API query parameters is a JSON 400 with a Swedish detail."""
    response = api_client(coach).get(path, {"q": value})
    assert response.status_code == 400
    assert response.json() == {"detail": NUL_MESSAGE}


def test_nul_in_an_api_json_body_is_400(coach):
    """issue 8 item 10: "\\u0000" in a JSON string (value or key) is refused, not sent to the database."""
    api = api_client(coach)
    payload = {"personnummer": NEW_NUMBER, "first_name": "No\u0000ra", "last_name": "Lind", "home_district": 1}
    response = api.post("/api/v1/persons/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": NUL_MESSAGE}
    nested = api.post("/api/v1/persons/", {"a": [{"b\u0000": 1}]}, format="json")
    assert nested.status_code == 400 and nested.json() == {"detail": NUL_MESSAGE}
    assert not Person.objects.exists()


@pytest.mark.parametrize("path", ["/api/v1/activities/", "/api/v1/assessments/", "/api/v1/plans/"])
def test_nul_in_an_api_form_body_is_400(coach, path):
    """issue 8 item 10: endpoints that take form-encoded or multipart bodies refuse NUL in a field with a 400."""
    api = api_client(coach)
    form = api.post(path, "participation=1&note=a%00b", content_type="application/x-www-form-urlencoded")
    assert form.status_code == 400 and form.json() == {"detail": NUL_MESSAGE}
    multipart = api.post(path, {"participation": "1", "note\x00": "x"}, format="multipart")
    assert multipart.status_code == 400 and multipart.json() == {"detail": NUL_MESSAGE}


def test_a_json_only_api_endpoint_still_answers_415_to_a_form(coach):
    """The NUL check must not take the body from DRF: a form sent to a JSON-only endpoint stays a 415."""
    assert api_client(coach).post("/api/v1/persons/", {"first_name": "a\x00"}, format="multipart").status_code == 415


def test_nul_fuzz_over_every_api_list_and_search_parameter(coach):
    """issue 8 item 10: NUL in any usual filter parameter of any API list is a 400, never a 500."""
    api = api_client(coach)
    for path in _api_list_paths():
        for param in ("q", "search", "limit", "offset", "status", "participation", "person", "ar"):
            response = api.get(path, {param: "a\x00b"})
            assert response.status_code == 400, (path, param, response.status_code)


def test_nul_for_anonymous_users_is_400_too(client):
    """issue 8 item 10: the refusal page renders without a login (e.g. /login/?next=%00)."""
    response = client.get("/login/", {"next": "/\x00"})
    assert response.status_code == 400 and NUL_MESSAGE in response.content.decode()
    assert client.post("/login/", {"username": "kalle\x00", "password": "x"}).status_code == 400


# --- names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", BIDI_NAMES + INVISIBLE_NAMES)
def test_name_validator_refuses_invisible_and_bidi_names(name):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        validate_person_name(name)
    assert any(m in caught.value.messages[0] for m in NAME_MESSAGES)


@pytest.mark.parametrize("name", ["Anna", "Anna-Lena", "O'Brien", "Åsa Öberg", "محمد", "Zoë", "Jean\u200bPierre", ""])
def test_name_validator_accepts_real_names(name):
    validate_person_name(name)


@pytest.mark.parametrize("name", ["\u200b\u200b", "Anna\u202eassoN"])
def test_web_referral_form_refuses_invisible_and_bidi_names(client, name):
    """issue 8 item 10: the referral form (where the web registers a person) refuses such names in Swedish."""
    social_worker = f.UserFactory(social_worker=True)
    social_worker.save()
    client.force_login(social_worker)
    response = client.post("/anvisningar/ny/", {"personnummer": NEW_NUMBER, "first_name": name, "last_name": name})
    assert response.status_code == 400
    assert any(m in response.content.decode() for m in NAME_MESSAGES)
    assert not Person.objects.exists()
    # The same form with a real name has no name error.
    ok = client.post("/anvisningar/ny/", {"personnummer": NEW_NUMBER, "first_name": "Nora", "last_name": "Lind"})
    assert not any(m in ok.content.decode() for m in NAME_MESSAGES)


def test_person_form_refuses_invisible_and_bidi_names():
    """issue 8 item 10: PersonForm carries the validator on both name fields."""
    from jobbtorg.people.forms import PersonForm

    data = {"personnummer": NEW_NUMBER, "first_name": "\u200b", "last_name": "Lind\u202e", "home_district": f.district().pk}
    form = PersonForm(data=data)
    assert not form.is_valid()
    assert "bara osynliga tecken" in form.errors["first_name"][0]
    assert "vänder textens riktning" in form.errors["last_name"][0]


@pytest.mark.parametrize("name", ["\u200b\u200c", "Nora\u2066"])
def test_api_refuses_invisible_and_bidi_names(coach, name):
    """issue 8 item 10: POST and PATCH /api/v1/persons/ and POST /api/v1/referrals/ refuse such names in Swedish."""
    api = api_client(coach)
    payload = {"personnummer": NEW_NUMBER, "first_name": name, "last_name": "Lind", "home_district": f.district().pk}
    response = api.post("/api/v1/persons/", payload, format="json")
    assert response.status_code == 400
    assert any(m in response.json()["first_name"][0] for m in NAME_MESSAGES)
    assert not Person.objects.exists()

    person = f.PersonFactory()
    f.ParticipationFactory(person=person, coach=coach, enrolled=True)
    patch = api.patch(f"/api/v1/persons/{person.pk}/", {"version": person.version, "last_name": name}, format="json")
    assert patch.status_code == 400
    assert any(m in patch.json()["last_name"][0] for m in NAME_MESSAGES)
    person.refresh_from_db()
    assert person.last_name != name

    referral = api_client(f.UserFactory(social_worker=True)).post(
        "/api/v1/referrals/", {"personnummer": NEW_NUMBER, "first_name": name, "last_name": "Lind"}, format="json"
    )
    assert referral.status_code == 400
    assert any(m in referral.json()["first_name"][0] for m in NAME_MESSAGES)


# --- Excel ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x.example","Öppna")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_safe_cell_keeps_formula_text_as_text(text):
    """issue 8 item 10: text that could start a formula is written as a string with a leading apostrophe."""
    book = Workbook()
    append_row(book.active, [text, 5, -3, "Anna", None])
    out = io.BytesIO()
    book.save(out)
    row = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())
    assert row[0].data_type == "s" and row[0].value.startswith("'")
    assert row[0].value[1:].replace("\n", "\r") == text.replace("\n", "\r")  # XML stores CR as LF
    assert (row[1].value, row[2].value, row[3].value) == (5, -3, "Anna")  # numbers stay numbers
    assert safe_cell("–") == "–" and safe_cell(-1) == -1


def test_subsidy_cases_export_neutralises_a_formula_unit_name(client):
    """issue 8 item 10: a unit named "=HYPERLINK(…)" is text in arenden.xlsx, not a live formula."""
    unit = f.unit()
    unit.name = '=HYPERLINK("http://evil.example","Klicka")'
    unit.save()
    coach = f.UserFactory(coach=True)
    manager = f.UserFactory(unit_manager=True)
    case = f.SubsidyCaseFactory(participation=f.ParticipationFactory(enrolled=True, coach=coach))
    manager.save()
    client.force_login(manager)
    year = case.created_at.year if hasattr(case, "created_at") else None
    response = client.get("/stod/rapporter/arenden.xlsx", {"ar": year} if year else {})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells, "the unit's row is in the export"
    assert all(c.data_type == "s" and c.value.startswith("'=") for c in cells)
    overdue = load_workbook(io.BytesIO(client.get("/stod/rapporter/forsenade-steg.xlsx").content)).active
    assert all(
        c.data_type == "s" and c.value.startswith("'=")
        for row in overdue.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value
    )  # fmt: skip


def test_osa_places_export_neutralises_a_formula_district_name(client):
    """issue 8 item 10: a district named "@…" is text in the OSA places export."""
    officer = f.UserFactory(osa_officer=True)
    district = officer.district
    district.name = "@SUM(1+1)*cmd|' /C calc'!A0"
    district.save()
    f.AnnualPlacesFactory(district=district, year=2026, planned=3)
    officer.save()
    client.force_login(officer)
    response = client.get("/osa/arsplatser/excel/", {"ar": 2026})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    [cell] = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "SUM(1+1)" in c.value]
    assert cell.data_type == "s" and cell.value == "'" + district.name


# --- Cache-Control: no-store -------------------------------------------------------------------------


def _api_list_paths() -> list[str]:
    """Every /api/v1/ route without a parameter (lists, searches, /me/, the schema)."""
    paths: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            regex = p.pattern.regex.pattern if hasattr(p.pattern, "regex") else str(p.pattern)
            part = regex.lstrip("^").rstrip("$").replace("\\Z", "")
            if "(" in part or "\\" in part or "<" in part:
                continue
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + part)
            elif isinstance(p, URLPattern):
                paths.append("/" + prefix + part)

    walk(get_resolver().url_patterns, "")
    return sorted({p for p in paths if p.startswith("/api/v1/") and p != "/api/v1/"})


def test_every_api_answer_is_no_store(coach):
    """issue 8 item 10: every /api/v1/ answer, lists, details, errors and 404s, carries Cache-Control: no-store."""
    person = f.PersonFactory()
    participation = f.ParticipationFactory(person=person, coach=coach, enrolled=True)
    api = api_client(coach)
    paths = _api_list_paths()
    assert len(paths) > 20 and "/api/v1/persons/" in paths and "/api/v1/me/" in paths
    paths += [
        f"/api/v1/persons/{person.pk}/",
        f"/api/v1/participations/{participation.pk}/",
        f"/api/v1/eligibility-facts/{person.pk}/",
        "/api/v1/persons/999999/",  # 404
        "/api/v1/finns-inte/",  # unknown path
    ]
    for path in paths:
        response = api.get(path)
        assert response.status_code < 500, path
        cache_control = response.get("Cache-Control", "")
        assert "no-store" in cache_control and "private" in cache_control, (path, cache_control)
    refused = APIClient().get("/api/v1/persons/")  # not logged in
    assert refused.status_code in (401, 403) and "no-store" in refused["Cache-Control"]


# --- eligibility facts --------------------------------------------------------------------------------


def _entries(user, person):
    return list(AuditEntry.objects.filter(user_id=user.pk, person_id=person.pk).values_list("action", "outcome"))


@pytest.mark.parametrize("trait", ["matcher", "social_worker", "provider_staff"])
def test_eligibility_facts_refusal_is_logged_as_refused_only(client, trait):
    """issue 8 item 10: a role that does not handle subsidies gets no "allowed" entry before its refusal,
    in the API (/api/v1/eligibility-facts/<id>/) and on the web page (/stod/person/<id>/kvalificering/)."""
    coach = f.UserFactory(coach=True)
    participation = f.ParticipationFactory(enrolled=True, coach=coach)
    person = participation.person
    user = f.UserFactory(**{trait: True})
    response = api_client(user).get(f"/api/v1/eligibility-facts/{person.pk}/")
    assert response.status_code in (403, 404)
    assert _entries(user, person) in ([(Action.READ, Outcome.REFUSED)], [])
    assert (Action.READ, Outcome.ALLOWED) not in _entries(user, person)
    assert AuditEntry.objects.filter(user_id=user.pk, outcome=Outcome.REFUSED).count() == 1

    user.save()
    client.force_login(user)
    page = client.get(f"/stod/person/{person.pk}/kvalificering/")
    assert page.status_code in (403, 404)
    assert (Action.READ, Outcome.ALLOWED) not in _entries(user, person)
    assert AuditEntry.objects.filter(user_id=user.pk, outcome=Outcome.REFUSED).count() == 2


def test_eligibility_facts_for_the_coach_logs_one_allowed_read(coach):
    participation = f.ParticipationFactory(enrolled=True, coach=coach)
    person = participation.person
    response = api_client(coach).get(f"/api/v1/eligibility-facts/{person.pk}/")
    assert response.status_code == 200
    assert _entries(coach, person) == [(Action.READ, Outcome.ALLOWED)]


def test_the_api_paths_found_include_search_endpoints():
    assert re.search(r"/api/v1/occupations/", " ".join(_api_list_paths()))
