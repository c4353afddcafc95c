"""Each role's start page: what it shows, what it must not show, and the audit entries."""

import datetime

import pytest
from django.utils import timezone

from jobbtorg.audit.models import Action, AuditEntry
from jobbtorg.participations.models import Status
from jobbtorg.testing.factories import (
    ActivityFactory,
    ParticipationFactory,
    PersonFactory,
    ProviderFactory,
    UserFactory,
    district,
    unit,
)
from jobbtorg.web.tests.fixtures import closed_participation

pytestmark = pytest.mark.django_db


def listed_ids(user):
    return set(AuditEntry.objects.filter(user_id=user.pk, action=Action.LIST).values_list("person_id", flat=True))


# --- coach -------------------------------------------------------------------------------------


def test_coach_sees_own_caseload_with_status_and_week(login):
    coach = UserFactory(coach=True)
    mine = ParticipationFactory(coach=coach, enrolled=True, person__first_name="Amina", person__last_name="Hassan")
    other_coach = UserFactory(coach=True)
    others = ParticipationFactory(coach=other_coach, enrolled=True, person__last_name="Främling")

    response = login(coach).get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Att göra idag" in html
    assert "Hassan, Amina" in html
    assert mine.person.personnummer_display in html
    assert "Inskriven" in html
    week = mine.referred_on.isocalendar().week
    assert f"{mine.referred_on:%Y-%m-%d}</time> <span class=\"week\">v. {week}</span>" in html
    # Same unit, other coach's caseload: not on my start page.
    assert "Främling" not in html
    assert listed_ids(coach) == {mine.person.pk}
    assert others.person.pk not in listed_ids(coach)


def test_coach_status_filter_in_url(login):
    coach = UserFactory(coach=True)
    ParticipationFactory(coach=coach, status=Status.REFERRED, person__last_name="Anvisadsson")
    ParticipationFactory(coach=coach, enrolled=True, person__last_name="Inskrivensson")
    closed_participation(coach=coach, person__last_name="Avslutadsson")
    client = login(coach)

    default = client.get("/").content.decode()
    assert "Anvisadsson" in default and "Inskrivensson" in default
    assert "Avslutadsson" not in default

    referred = client.get("/?status=referred").content.decode()
    assert "Anvisadsson" in referred and "Inskrivensson" not in referred

    closed = client.get("/?status=closed").content.decode()
    assert "Avslutadsson" in closed and "Anvisadsson" not in closed

    # Unknown values fall back to "all open" rather than failing.
    assert client.get("/?status=bogus&sort=nonsense&page=x").status_code == 200


def test_coach_sort_order(login):
    coach = UserFactory(coach=True)
    for name in ["Bertilsson", "Adamsson", "Cesarsson"]:
        ParticipationFactory(coach=coach, enrolled=True, person__last_name=name)
    client = login(coach)
    html = client.get("/?sort=name").content.decode()
    assert html.index("Adamsson") < html.index("Bertilsson") < html.index("Cesarsson")
    html = client.get("/?sort=-name").content.decode()
    assert html.index("Cesarsson") < html.index("Bertilsson") < html.index("Adamsson")
    assert 'aria-sort="descending"' in html


def test_coach_pagination_25_per_page(login):
    coach = UserFactory(coach=True)
    ParticipationFactory.create_batch(27, coach=coach, enrolled=True)
    client = login(coach)
    first = client.get("/")
    assert len(first.context["listing"].rows) == 25
    assert "27 träffar" in first.content.decode()
    second = client.get("/?page=2")
    assert len(second.context["listing"].rows) == 2
    # Each page audits exactly the persons shown on it.
    assert AuditEntry.objects.filter(user_id=coach.pk, action=Action.LIST, what__contains="egen").count() == 27


def test_coach_todo_lists_waiting_and_activities_ending(login):
    coach = UserFactory(coach=True)
    ParticipationFactory(coach=coach, status=Status.REFERRED)
    ending = ActivityFactory(
        participation__coach=coach,
        participation__person__last_name="Slutarsnart",
        end_date=timezone.localdate() + datetime.timedelta(days=3),
    )
    html = login(coach).get("/").content.decode()
    assert "anvisad väntar på inskrivning" in html
    assert "Insatser som slutar snart" in html
    assert "Slutarsnart" in html
    assert ending.participation.person.pk in listed_ids(coach)


def test_coach_sees_own_protected_participant_with_marking(login):
    coach = UserFactory(coach=True)
    ParticipationFactory(coach=coach, enrolled=True, person__protected=True, person__last_name="Skyddadsson")
    html = login(coach).get("/").content.decode()
    assert "Skyddadsson" in html


def test_htmx_request_for_the_list_gets_only_the_list(login):
    coach = UserFactory(coach=True)
    ParticipationFactory(coach=coach, enrolled=True, person__last_name="Htmxsson")
    response = login(coach).get("/?status=active", headers={"HX-Request": "true", "HX-Target": "person-list"})
    html = response.content.decode()
    assert "Htmxsson" in html
    assert "<html" not in html and "Att göra idag" not in html
    assert "HX-Request" in response["Vary"]


# --- social worker / OSA officer -----------------------------------------------------------------


@pytest.mark.parametrize("trait", ["social_worker", "osa_officer"])
def test_district_worker_sees_own_districts_residents_not_protected(login, trait):
    worker = UserFactory(**{trait: True})  # district Rinkeby-Kista
    resident = ParticipationFactory(enrolled=True, person__last_name="Rinkebybo")
    ParticipationFactory(
        enrolled=True, person__last_name="Brommabo", person__home_district=district("bromma"), unit=unit("vasterort")
    )
    protected = ParticipationFactory(enrolled=True, person__protected=True, person__last_name="Skyddadsson")
    closed_participation(person__last_name="Avslutadsson")
    PersonFactory(last_name="Ejdeltagare")  # a resident, but not at the Jobbtorg

    response = login(worker).get("/")

    assert response.status_code == 200
    html = response.content.decode()
    # The social worker's start page is an inbox; the OSA officer's lists the residents.
    heading = "Rinkeby-Kista: inkorg" if trait == "social_worker" else "Rinkeby-Kista: invånare på Jobbtorg"
    assert heading in html
    assert "Rinkebybo" in html
    assert "Brommabo" not in html
    assert "Skyddadsson" not in html
    assert "Avslutadsson" not in html
    assert "Ejdeltagare" not in html
    assert listed_ids(worker) == {resident.person.pk}
    assert protected.person.pk not in listed_ids(worker)


# --- unit manager --------------------------------------------------------------------------------


def test_unit_manager_sees_caseload_per_coach_and_unit_list(login):
    manager = UserFactory(unit_manager=True)
    coach_a = UserFactory(coach=True, first_name="Anna", last_name="Coachsson")
    coach_b = UserFactory(coach=True, first_name="Bo", last_name="Coachberg")
    ParticipationFactory.create_batch(3, coach=coach_a, enrolled=True, coach_assigned_on=timezone.localdate())
    ParticipationFactory(coach=coach_b, status=Status.REFERRED, person__last_name="Bosdeltagare")
    ParticipationFactory(status=Status.REFERRED, person__last_name="Utancoach")
    protected = ParticipationFactory(coach=coach_b, enrolled=True, person__protected=True, person__last_name="Skyddadsson")
    ParticipationFactory(unit=unit("sydost"), enrolled=True, person__last_name="Annanenhet")

    response = login(manager).get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Jobbtorg Järva" in html
    coaches = {c.pk: c for c in response.context["coaches"]}
    assert coaches[coach_a.pk].open_count == 3 and coaches[coach_a.pk].active_count == 3
    # The coach's whole caseload includes the protected person; the list does not show them.
    assert coaches[coach_b.pk].open_count == 2 and coaches[coach_b.pk].referred_count == 1
    # The figures count the list's rows (issue 10 item 2): the protected person is not among them;
    # "without an assigned coach" is Bosdeltagare (coach only proposed at referral) and Utancoach.
    figures = response.context["figures"]
    assert figures["open"] == 5 and figures["without_coach"] == 2 and figures["referred"] == 2
    assert "Bosdeltagare" in html and "Utancoach" in html
    assert "Skyddadsson" not in html
    assert "Annanenhet" not in html
    assert protected.person.pk not in listed_ids(manager)

    only_b = login(manager).get(f"/?coach={coach_b.pk}").content.decode()
    assert "Bosdeltagare" in only_b and "Utancoach" not in only_b
    no_coach = login(manager).get("/?coach=none").content.decode()
    assert "Utancoach" in no_coach and "Bosdeltagare" not in no_coach


# --- matcher -------------------------------------------------------------------------------------


def test_matcher_sees_open_participations_across_units(login):
    matcher = UserFactory(matcher=True)
    ParticipationFactory(enrolled=True, person__last_name="Järvabo")
    ParticipationFactory(unit=unit("sydost"), enrolled=True, person__last_name="Sydostbo", person__home_district=district("farsta"))
    closed_participation(person__last_name="Avslutadsson")
    ParticipationFactory(enrolled=True, person__marked=True, person__last_name="Markeradsson")

    response = login(matcher).get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Deltagare att matcha" in html
    assert "Järvabo" in html and "Sydostbo" in html
    assert "Avslutadsson" not in html
    assert "Markeradsson" not in html
    assert len(listed_ids(matcher)) == 2

    sydost = login(matcher).get(f"/?unit={unit('sydost').pk}").content.decode()
    assert "Sydostbo" in sydost and "Järvabo" not in sydost


# --- provider staff ------------------------------------------------------------------------------


def test_provider_staff_sees_participants_with_activity_today(login):
    provider = ProviderFactory()
    staff = UserFactory(provider_staff=True, provider=provider)
    today = ActivityFactory(provider=provider, participation__person__last_name="Idagsson")
    ActivityFactory(
        provider=provider,
        participation__person__last_name="Igårsson",
        start_date=timezone.localdate() - datetime.timedelta(days=30),
        end_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    ActivityFactory(provider=ProviderFactory(), participation__person__last_name="Annananordnare")
    ActivityFactory(provider=provider, participation__person__protected=True, participation__person__last_name="Skyddadsson")

    response = login(staff).get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Dagens deltagare" in html
    assert "Idagsson" in html
    assert today.catalogue_item.name in html
    assert "Igårsson" not in html and "Annananordnare" not in html and "Skyddadsson" not in html
    assert listed_ids(staff) == {today.participation.person.pk}


# --- analyst, HR, system administrator -----------------------------------------------------------


def test_analyst_sees_key_figures_and_never_names(login):
    analyst = UserFactory(analyst=True)
    people = [ParticipationFactory(enrolled=True) for _ in range(6)]  # Järva / Rinkeby-Kista: 6 active
    ParticipationFactory.create_batch(2, status=Status.REFERRED)  # 2 referred: suppressed
    response = login(analyst).get("/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Nyckeltal" in html
    for p in people:
        assert p.person.last_name not in html
        assert p.person.personnummer_display not in html
        assert p.person.personnummer not in html
    jarva = next(r for r in response.context["by_unit"] if r.name == "Jobbtorg Järva")
    assert jarva.active == 6
    assert jarva.referred is None  # 2 < 5: withheld
    assert "&lt; 5" in html
    # No raw small number reaches the template at all.
    for row in response.context["by_unit"] + response.context["by_district"]:
        for value in row.counts:
            assert value is None or value >= 5
    assert not AuditEntry.objects.filter(user_id=analyst.pk).exists()


@pytest.mark.parametrize("trait", ["hr", "sysadmin"])
def test_hr_and_sysadmin_get_links_and_no_person_data(login, trait):
    user = UserFactory(**{trait: True})
    participation = ParticipationFactory(enrolled=True, person__last_name="Hemligsson")
    response = login(user).get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Din roll ger ingen åtkomst till uppgifter om enskilda deltagare" in html
    assert "Hemligsson" not in html
    assert participation.person.personnummer_display not in html
    assert 'href="/logg/"' in html  # HR too: an employee's log (audit.staff_log)
    if trait == "sysadmin":
        assert 'href="/admin/"' in html
    assert not AuditEntry.objects.filter(user_id=user.pk).exists()


def test_anonymous_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_person_lists_are_not_cached_by_the_browser(login):
    coach = UserFactory(coach=True)
    response = login(coach).get("/")
    assert "no-store" in response["Cache-Control"]


def test_search_link_only_for_roles_that_may_search(login, client):
    coach = UserFactory(coach=True)
    assert "/personer/sok/" in login(coach).get("/").content.decode()
    client.logout()
    analyst = UserFactory(analyst=True)
    assert "/personer/sok/" not in login(analyst).get("/").content.decode()

