"""Person search (/personer/sok/) and the person page (/personer/<id>/)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.testing.factories import (
    ActivityFactory,
    ParticipationFactory,
    PersonFactory,
    ProviderFactory,
    UserFactory,
    unit,
)
from jobbtorg.web.tests.fixtures import apply_ui_settings, closed_participation, make_login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def ui_settings(settings):
    apply_ui_settings(settings)


@pytest.fixture
def login(client):
    return make_login(client)

NOT_FOUND_TEXT = "Personen finns inte eller så saknar du behörighet"


def ten_digit(normalised: str, separator: str = "-") -> str:
    """19800101-1234 → 800101-1234 (the common 10-digit form)."""
    return f"{normalised[2:8]}{separator}{normalised[8:]}"


# --- search --------------------------------------------------------------------------------------


def test_search_by_ten_digit_personnummer_with_dash(login):
    coach = UserFactory(coach=True)
    participation = ParticipationFactory(coach=coach, enrolled=True, person__last_name="Sökbar")
    person = participation.person
    ParticipationFactory(coach=coach, enrolled=True, person__last_name="Annan")

    response = login(coach).get("/personer/sok/", {"q": ten_digit(person.personnummer)})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Sökbar" in html and "Annan" not in html
    assert person.personnummer_display in html
    entries = AuditEntry.objects.filter(user_id=coach.pk, action=Action.SEARCH)
    assert list(entries.values_list("person_id", flat=True)) == [person.pk]
    assert entries.get().outcome == Outcome.ALLOWED


@pytest.mark.parametrize("form", ["twelve", "twelve_dash", "ten_plain"])
def test_search_by_personnummer_in_other_forms(login, form):
    coach = UserFactory(coach=True)
    person = ParticipationFactory(coach=coach, enrolled=True).person
    pnr = person.personnummer
    q = {"twelve": pnr, "twelve_dash": f"{pnr[:8]}-{pnr[8:]}", "ten_plain": pnr[2:]}[form]
    response = login(coach).get("/personer/sok/", {"q": q})
    assert [p.pk for p in response.context["listing"].rows] == [person.pk]


def test_search_by_name_prefix(login):
    coach = UserFactory(coach=True)
    amina = ParticipationFactory(coach=coach, enrolled=True, person__first_name="Amina", person__last_name="Hassan").person
    ParticipationFactory(coach=coach, enrolled=True, person__first_name="Erik", person__last_name="Hansson")
    client = login(coach)

    assert [p.pk for p in client.get("/personer/sok/", {"q": "ami has"}).context["listing"].rows] == [amina.pk]
    assert [p.pk for p in client.get("/personer/sok/", {"q": "Hassan, Amina"}).context["listing"].rows] == [amina.pk]
    both = client.get("/personer/sok/", {"q": "ha"}).context["listing"].rows
    assert len(both) == 2


def test_search_only_within_visible_persons(login):
    coach = UserFactory(coach=True)  # Jobbtorg Järva
    ParticipationFactory(unit=unit("sydost"), enrolled=True, person__last_name="Utanförsson")
    response = login(coach).get("/personer/sok/", {"q": "Utanför"})
    assert response.status_code == 200
    assert "Utanförsson" not in response.content.decode()
    assert "Ingen person som du har behörighet till matchar sökningen." in response.content.decode()
    assert not AuditEntry.objects.filter(user_id=coach.pk, action=Action.SEARCH).exists()


def test_protected_person_absent_from_search_for_unit_wide_relation(login):
    coach = UserFactory(coach=True)
    colleague = UserFactory(coach=True)
    protected = ParticipationFactory(coach=colleague, enrolled=True, person__protected=True, person__last_name="Skyddadsson").person
    response = login(coach).get("/personer/sok/", {"q": protected.personnummer})
    assert response.context["listing"].rows == []
    assert "Skyddadsson" not in response.content.decode()
    response = login(coach).get("/personer/sok/", {"q": "Skyddad"})
    assert response.context["listing"].rows == []
    assert not AuditEntry.objects.filter(user_id=coach.pk, person_id=protected.pk).exists()


def test_own_protected_person_found_with_marking(login):
    coach = UserFactory(coach=True)
    protected = ParticipationFactory(coach=coach, enrolled=True, person__protected=True, person__last_name="Skyddadsson").person
    html = login(coach).get("/personer/sok/", {"q": "Skyddad"}).content.decode()
    assert "Skyddadsson" in html and "Skyddad folkbokföring" in html
    entry = AuditEntry.objects.get(user_id=coach.pk, person_id=protected.pk, action=Action.SEARCH)
    assert entry.flagged


def test_invalid_personnummer_gets_a_swedish_message(login):
    coach = UserFactory(coach=True)
    person = ParticipationFactory(coach=coach, enrolled=True).person
    pnr = person.personnummer
    wrong = pnr[:-1] + str((int(pnr[-1]) + 1) % 10)
    response = login(coach).get("/personer/sok/", {"q": wrong})
    assert response.status_code == 200
    assert response.context["query"].kind == "invalid"
    assert response.context["query"].error
    assert 'class="notice notice--error"' in response.content.decode()


def test_search_with_too_short_name_asks_for_more(login):
    coach = UserFactory(coach=True)
    html = login(coach).get("/personer/sok/", {"q": "a"}).content.decode()
    assert "Skriv minst två bokstäver" in html


def test_search_htmx_returns_results_fragment(login):
    coach = UserFactory(coach=True)
    ParticipationFactory(coach=coach, enrolled=True, person__last_name="Fragmentsson")
    response = login(coach).get(
        "/personer/sok/", {"q": "Fragment"}, headers={"HX-Request": "true", "HX-Target": "search-results"}
    )
    html = response.content.decode()
    assert "Fragmentsson" in html
    assert "<html" not in html and "<form" not in html


def test_search_page_works_as_plain_form(login):
    coach = UserFactory(coach=True)
    html = login(coach).get("/personer/sok/").content.decode()
    assert '<form method="get" action="/personer/sok/" role="search"' in html
    assert '<label for="q">' in html
    assert 'hx-get="/personer/sok/"' in html and 'hx-push-url="true"' in html
    assert not AuditEntry.objects.filter(user_id=coach.pk).exists()


@pytest.mark.parametrize("trait", ["analyst", "hr", "sysadmin"])
def test_roles_that_may_not_search_get_403(login, trait):
    user = UserFactory(**{trait: True})
    PersonFactory(last_name="Vemsomhelst")
    response = login(user).get("/personer/sok/", {"q": "Vem"})
    assert response.status_code == 403
    assert "Vemsomhelst" not in response.content.decode()
    # The attempt is logged as refused, with no person and without the search text.
    entry = AuditEntry.objects.get(user_id=user.pk, action=Action.SEARCH)
    assert entry.outcome == Outcome.REFUSED and entry.person_id is None and "Vem" not in entry.what


def test_search_query_count_is_constant(login):
    coach = UserFactory(coach=True)
    ParticipationFactory.create_batch(3, coach=coach, enrolled=True, person__last_name="Konstantsson")
    client = login(coach)
    client.get("/personer/sok/", {"q": "Konstant"})  # warm-up (session, caches)
    with CaptureQueriesContext(connection) as three:
        response = client.get("/personer/sok/", {"q": "Konstant"})
    assert len(response.context["listing"].rows) == 3
    ParticipationFactory.create_batch(27, coach=coach, enrolled=True, person__last_name="Konstantsson")
    with CaptureQueriesContext(connection) as thirty:
        response = client.get("/personer/sok/", {"q": "Konstant"})
    assert len(response.context["listing"].rows) == 25
    assert len(thirty) == len(three), [q["sql"] for q in thirty.captured_queries]


# --- person page ---------------------------------------------------------------------------------


def test_person_page_shows_identity_participations_and_activities(login):
    coach = UserFactory(coach=True, first_name="Cecilia", last_name="Coach")
    activity = ActivityFactory(
        participation__coach=coach, participation__person__first_name="Amina", participation__person__last_name="Hassan"
    )
    person = activity.participation.person

    response = login(coach).get(f"/personer/{person.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Amina Hassan" in html
    assert person.personnummer_display in html
    assert f"{person.age} år" in html
    assert "Rinkeby-Kista" in html
    assert "Cecilia Coach" in html
    assert "Inskriven" in html
    assert activity.catalogue_item.name in html
    assert person.street_address in html and person.phone in html
    entry = AuditEntry.objects.get(user_id=coach.pk, person_id=person.pk, action=Action.READ)
    assert entry.outcome == Outcome.ALLOWED


def test_refused_person_gets_404_that_reveals_nothing_and_is_logged(login):
    coach = UserFactory(coach=True)  # Järva
    stranger = ParticipationFactory(unit=unit("sydost"), enrolled=True, person__last_name="Främling").person

    response = login(coach).get(f"/personer/{stranger.pk}/")

    assert response.status_code == 404
    html = response.content.decode()
    assert NOT_FOUND_TEXT in html
    assert "Främling" not in html and stranger.personnummer_display not in html
    entry = AuditEntry.objects.get(user_id=coach.pk, person_id=stranger.pk)
    assert entry.outcome == Outcome.REFUSED
    assert entry.flagged


def test_missing_person_looks_the_same_as_refused(login):
    coach = UserFactory(coach=True)
    stranger = ParticipationFactory(enrolled=True, person__protected=True).person  # no direct relation
    client = login(coach)
    refused = client.get(f"/personer/{stranger.pk}/")
    missing = client.get("/personer/99999999/")
    assert refused.status_code == missing.status_code == 404
    def main(response):
        html = response.content.decode()
        return html[html.index("<main"):html.index("</main>")].replace(f"/{stranger.pk}/", "/X/").replace("/99999999/", "/X/")

    assert main(refused) == main(missing)
    assert AuditEntry.objects.filter(user_id=coach.pk, outcome=Outcome.REFUSED).count() == 2


@pytest.mark.parametrize("trait", ["analyst", "hr", "sysadmin"])
def test_roles_without_person_access_get_404(login, trait):
    user = UserFactory(**{trait: True})
    person = ParticipationFactory(enrolled=True).person
    response = login(user).get(f"/personer/{person.pk}/")
    assert response.status_code == 404
    assert AuditEntry.objects.get(user_id=user.pk, person_id=person.pk).outcome == Outcome.REFUSED


def test_protected_person_page_shows_marking_and_hides_contact_details(login):
    coach = UserFactory(coach=True)
    person = ParticipationFactory(coach=coach, enrolled=True, person__protected=True).person

    html = login(coach).get(f"/personer/{person.pk}/").content.decode()

    assert "Skyddad folkbokföring" in html
    assert "Adress och kontaktuppgifter är skyddade" in html
    assert person.street_address not in html
    assert person.phone not in html
    assert person.email not in html


def test_named_staff_sees_protected_contact_details(login):
    coach = UserFactory(coach=True)
    person = ParticipationFactory(coach=coach, enrolled=True, person__marked=True).person
    person.contact_grants.add(coach)
    html = login(coach).get(f"/personer/{person.pk}/").content.decode()
    assert "Sekretessmarkering" in html
    assert person.street_address in html and person.phone in html


def test_provider_staff_reaches_assigned_participant(login):
    provider = ProviderFactory()
    staff = UserFactory(provider_staff=True, provider=provider)
    activity = ActivityFactory(provider=provider)
    assert login(staff).get(f"/personer/{activity.participation.person.pk}/").status_code == 200
    ended = ActivityFactory(
        provider=provider,
        start_date=timezone.localdate() - datetime.timedelta(days=20),
        end_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert login(staff).get(f"/personer/{ended.participation.person.pk}/").status_code == 404


def test_person_page_query_count_is_constant(login):
    coach = UserFactory(coach=True)
    first = ActivityFactory(participation__coach=coach)
    person = first.participation.person
    client = login(coach)
    client.get(f"/personer/{person.pk}/")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/personer/{person.pk}/")
    for _ in range(3):
        ActivityFactory.create_batch(3, participation=closed_participation(person=person, coach=coach))
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/personer/{person.pk}/")
    assert len(response.context["participations"]) == 4
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]
