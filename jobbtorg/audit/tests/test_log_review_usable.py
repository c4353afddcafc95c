"""Log review people can use (issue 10 item 8): a person looked up by personnummer, entries
grouped per visit and described in words, a clear refusal for a person outside the manager's
unit, and HR's log of an employee."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from jobbtorg.audit.events import AuditEvent
from jobbtorg.audit.formatting import describe, visits
from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.core import personnummer as pnr
from jobbtorg.testing import factories as f

from .helpers import at, entry, login, queries_for

pytestmark = pytest.mark.django_db

PERIOD = "fran=2025-03-01&till=2025-03-31"


def _forms(number: str) -> list[str]:
    """A 12-digit personnummer in the forms people type: 12 digits with and without hyphen,
    10 digits with the separator (+ from the year the person turns 100), spaces around."""
    born = pnr.birth_date(number)
    separator = "+" if timezone.localdate().year - born.year >= 100 else "-"
    return [number, f"{number[:8]}-{number[8:]}", f"{number[2:8]}{separator}{number[8:]}", f"  {number[:8]} {number[8:]} "]


def _lookup(client, number: str, query: str = PERIOD):
    return client.get(reverse("audit:person_log_search"), {"personnummer": number, **dict(p.split("=") for p in query.split("&"))})


def _outside_person(**traits):
    person = f.PersonFactory(**traits)
    f.ParticipationFactory(person=person, unit=f.unit("vasterort"))
    return person


def _without_raw_details(page: str) -> str:
    """The page without the reviewer's "Teknisk uppgift" (the stored text behind <details>)."""
    return re.sub(r'<details class="log-raw">.*?</details>', "", page, flags=re.S)


# --- 1. look a person up by personnummer ------------------------------------------------------


@pytest.mark.parametrize("reviewer", ["sysadmin", "manager"])
def test_log_lookup_by_personnummer_any_form(client, request, reviewer, unit_person):
    login(client, request.getfixturevalue(reviewer))

    for typed in _forms(unit_person.personnummer):
        response = _lookup(client, typed)

        assert response.status_code == 302, typed
        assert response["Location"] == reverse("audit:person_log", kwargs={"person_id": 42}) + "?" + PERIOD


def test_lookup_itself_is_audited(client, manager, unit_person):
    login(client, manager)

    _lookup(client, unit_person.personnummer)

    lookup = AuditEntry.objects.get(user_id=manager.pk)
    assert (lookup.action, lookup.what, lookup.person_id, lookup.outcome) == (
        Action.SEARCH, AuditEvent.LOG_PERSONNUMMER_LOOKUP, 42, Outcome.ALLOWED
    )
    assert unit_person.personnummer[2:] not in lookup.what  # the number itself is never logged
    assert describe(lookup.action, lookup.what, lookup.outcome) == "sökte på personnummer i loggranskningen"


def test_protected_person_is_looked_up_only_by_the_whole_log_reviewer(client, sysadmin, manager):
    person = f.PersonFactory(protected=True)
    f.ParticipationFactory(person=person, unit=f.unit("jarva"), enrolled=True)  # at the manager's unit
    login(client, manager)

    refused = _lookup(client, person.personnummer)
    login(client, sysadmin)
    allowed = _lookup(client, person.personnummer)

    assert refused.status_code == 403
    assert allowed.status_code == 302
    by_manager = AuditEntry.objects.get(user_id=manager.pk)
    by_admin = AuditEntry.objects.get(user_id=sysadmin.pk)
    assert (by_manager.outcome, by_manager.flagged) == (Outcome.REFUSED, True)
    assert (by_admin.outcome, by_admin.flagged) == (Outcome.ALLOWED, True)  # a protected identity: flagged


# --- 2. entries grouped per visit --------------------------------------------------------------


def test_entries_grouped_per_session(client, sysadmin, coach, unit_person):
    colleague = f.UserFactory(coach=True, username="coach2")
    morning = [entry(coach, at("2025-03-10", t), person_id=42) for t in ("09:00", "09:10", "09:35")]
    entry(colleague, at("2025-03-10", "09:20"), person_id=42)  # in between: does not split the visit
    later = entry(coach, at("2025-03-10", "10:30"), person_id=42)  # 55 minutes on: a new visit
    login(client, sysadmin)

    response = client.get(reverse("audit:person_log", kwargs={"person_id": 42}) + "?" + PERIOD)

    groups = response.context["visits"]
    assert [(v.username, v.count) for v in groups] == [("coach1", 1), ("coach1", 3), ("coach2", 1)]
    assert groups[0].entries == [later]
    assert groups[1].entries == morning[::-1]
    assert (groups[1].first, groups[1].last) == (morning[0].at, morning[-1].at)
    page = response.content.decode()
    assert page.count('<details class="log-visit" open>') == 3
    assert ">2025-03-10 09:00</time>–<time" in page and ">09:35</time>" in page and "3 poster" in page


def test_a_visit_ends_after_thirty_minutes_without_an_entry():
    def e(minute: int, user: int = 1) -> AuditEntry:
        return AuditEntry(user_id=user, username=f"u{user}", acting_role="coach", at=at("2025-03-10", "09:00")
                          + datetime.timedelta(minutes=minute), action=Action.READ, what="", outcome=Outcome.ALLOWED)

    newest_first = [e(95), e(65), e(50, user=2), e(34), e(0)]

    # 65 is 30 minutes before 95: the same visit; 34 is 31 minutes before 65: a new one.
    assert [(v.username, v.count) for v in visits(newest_first)] == [("u1", 2), ("u2", 1), ("u1", 1), ("u1", 1)]


# --- 3. entries in words -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "what", "outcome", "words"),
    [
        (Action.READ, "GET /kartlaggning/1/ · kartläggning", Outcome.ALLOWED, "öppnade kartläggningen"),
        (Action.READ, "GET /kartlaggning/1/halsa/ · kartläggning · hälsa", Outcome.ALLOWED,
         "öppnade hälsouppgifterna i kartläggningen"),
        (Action.CHANGE, "POST /planer/3/ · aktivitetsplan", Outcome.ALLOWED, "ändrade planen"),
        (Action.CHANGE, "POST /planer/3/beslut/ · aktivitetsplan · godkännande", Outcome.ALLOWED, "ändrade beslutet om planen"),
        (Action.READ, "GET /planer/3/ · plans.decide", Outcome.REFUSED, "försökte öppna planen – nekades"),
        (Action.SEARCH, "personsök", Outcome.ALLOWED, "fick sökträff på personen"),
        (Action.SEARCH, AuditEvent.LOG_PERSONNUMMER_LOOKUP, Outcome.ALLOWED, "sökte på personnummer i loggranskningen"),
        (Action.CREATE, AuditEvent.REFERRAL, Outcome.ALLOWED, "registrerade anvisningen"),
        (Action.CHANGE, AuditEvent.ATTENDANCE, Outcome.ALLOWED, "ändrade närvaron"),
        (Action.ACCESS, AuditEvent.EMERGENCY_ACCESS_SIGNED, Outcome.ALLOWED, "signerade en nödåtkomst"),
        (Action.ACCESS, AuditEvent.EMERGENCY_ACCESS, Outcome.ALLOWED, "tog nödåtkomst till personen"),
        (Action.LOGIN, "Inloggning misslyckades: fel användarnamn eller lösenord", Outcome.REFUSED, "misslyckades att logga in"),
        (Action.LIST, "startsida: egen deltagarlista", Outcome.ALLOWED, "såg personen i en deltagarlista på startsidan"),
        (Action.READ, "Loggranskning: vem har tittat på person 4, 2025-03-01–2025-03-31", Outcome.ALLOWED, "granskade loggen"),
        (Action.LIST, "GET /planer/ · aktivitetsplan", Outcome.ALLOWED, "såg planen i en lista"),
        (Action.READ, "något helt okänt", Outcome.ALLOWED, "öppnade en sida"),
    ],
)
def test_entries_described_in_words(action, what, outcome, words):
    assert describe(action, what, outcome) == words


def test_entries_described_in_words_in_english():
    with translation.override("en"):
        assert describe(Action.READ, "GET /kartlaggning/1/ · kartläggning", Outcome.ALLOWED) == "opened the assessment"
        assert describe(Action.READ, "GET /planer/3/ · plans.decide", Outcome.REFUSED) == "tried to open the plan – refused"


def test_log_pages_show_words_not_raw_paths(client, sysadmin, coach, unit_person):
    entry(coach, at("2025-03-10"), person_id=42, what="GET /kartlaggning/1/ · kartläggning")
    entry(coach, at("2025-03-10", "10:05"), person_id=42, action=Action.CHANGE, what="POST /planer/3/ · aktivitetsplan")
    login(client, sysadmin)

    pages = [
        client.get(reverse("audit:person_log", kwargs={"person_id": 42}) + "?" + PERIOD).content.decode(),
        client.get(reverse("audit:user_log") + "?anvandare=coach1&" + PERIOD).content.decode(),
    ]

    for page in pages:
        assert "öppnade kartläggningen" in page and "ändrade planen" in page
        assert "GET /" not in _without_raw_details(page) and "/kartlaggning/1/" not in _without_raw_details(page)
        assert "Teknisk uppgift" in page  # the stored text stays available to the reviewer


# --- 4. a person outside the manager's unit --------------------------------------------------


def test_manager_outside_unit_is_refused_not_empty(client, manager, coach):
    outside = _outside_person()
    entry(coach, at("2025-03-10"), person_id=outside.pk)  # her own coach's entry: still not her person
    login(client, manager)

    by_id = client.get(reverse("audit:person_log", kwargs={"person_id": outside.pk}) + "?" + PERIOD)
    by_number = _lookup(client, outside.personnummer)
    csv = client.get(reverse("audit:person_log_csv", kwargs={"person_id": outside.pk}) + "?" + PERIOD)

    for response in (by_id, by_number, csv):
        assert response.status_code == 403
        page = response.content.decode()
        assert "Du får inte granska den här personens logg" in page
        assert "loggposter" not in page
    refusals = AuditEntry.objects.filter(user_id=manager.pk).order_by("id")
    assert [(r.action, r.what, r.person_id, r.outcome) for r in refusals] == [
        (Action.READ, AuditEvent.LOG_PERSON_REFUSED, outside.pk, Outcome.REFUSED),
        (Action.SEARCH, AuditEvent.LOG_PERSONNUMMER_LOOKUP, outside.pk, Outcome.REFUSED),
        (Action.READ, AuditEvent.LOG_PERSON_REFUSED, outside.pk, Outcome.REFUSED),
    ]
    assert all(r.flagged for r in refusals)


def test_manager_is_not_told_whether_an_unknown_personnummer_exists(client, manager):
    login(client, manager)

    response = _lookup(client, "19121212-1212")  # a valid number nobody has here

    assert response.status_code == 403
    assert "Ingen person" not in response.content.decode()


# --- 5. HR ---------------------------------------------------------------------------------------


def test_hr_has_user_log_review(client, coach, unit_person):
    hr = f.UserFactory(hr=True)
    entry(coach, at("2025-03-10"), person_id=42, what="GET /kartlaggning/1/ · kartläggning")
    entry(coach, at("2025-03-10", "10:10"), person_id=42, what="GET /planer/3/ · plans.decide", allowed=False)
    login(client, hr)

    start = client.get(reverse("start")).content.decode()
    index = client.get(reverse("audit:index"))
    response = client.get(reverse("audit:user_log") + "?anvandare=coach1&" + PERIOD)
    person = client.get(reverse("audit:person_log", kwargs={"person_id": 42}) + "?" + PERIOD)
    lookup = _lookup(client, unit_person.personnummer)

    assert reverse("audit:index") in start and "Loggranskning" in start  # the menu link
    assert index.status_code == 200 and reverse("audit:person_log_search") not in index.content.decode()
    assert response.status_code == 200
    page = response.content.decode()
    assert "öppnade kartläggningen" in page and "försökte öppna planen – nekades" in page
    assert "Person-id" not in page and "Teknisk uppgift" not in page and "/kartlaggning/" not in page
    assert "Markerad för granskning" not in page  # a flag would tell a protected identity
    assert response.context["page_obj"].paginator.count == 2
    assert person.status_code == lookup.status_code == 403  # no person's log for HR


def test_hr_user_log_export_has_no_person_ids(client, coach):
    hr = f.UserFactory(hr=True)
    entry(coach, at("2025-03-10"), person_id=42, what="GET /kartlaggning/1/ · kartläggning")
    login(client, hr)

    response = client.get(reverse("audit:user_log_csv") + "?anvandare=coach1&" + PERIOD)

    body = b"".join(response.streaming_content).decode("utf-8")
    row = body.splitlines()[1].split(";")
    assert row[3] == "" and row[5] == "öppnade kartläggningen" and row[6] == "" and row[9] == ""


# --- query counts ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("unit_person")
def test_grouped_log_pages_run_a_constant_number_of_queries(client, coach):
    hr = f.UserFactory(hr=True)
    url = reverse("audit:user_log") + "?anvandare=coach1&" + PERIOD
    login(client, hr)

    def write(n: int) -> None:
        for i in range(n):
            entry(coach, at("2025-03-10", "09:00") + datetime.timedelta(minutes=45 * i), person_id=42)

    write(3)
    few = queries_for(client, url)
    write(27)
    many = queries_for(client, url)

    assert few == many <= 12


@pytest.mark.usefixtures("unit_person")
def test_personnummer_lookup_runs_a_constant_number_of_queries(client, manager, unit_person):
    login(client, manager)
    url = reverse("audit:person_log_search") + f"?personnummer={unit_person.personnummer}&{PERIOD}"

    with_none = _count_redirect(client, url)
    for _ in range(5):
        f.ParticipationFactory(person=unit_person, unit=f.unit("jarva"), closed=True)
    with_more = _count_redirect(client, url)

    assert with_none == with_more <= 10


def _count_redirect(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 302
    return len(queries)
