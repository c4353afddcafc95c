"""The timeline on the person page (issue 3 part 10, LEGAL.md documentation duties): every event
of every participation, newest first, filterable; corrections and objections by the coach,
audited; refused for everyone else with nothing saved."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobbtorg.access.testing import stand_in
from jobbtorg.accounts.models import Role
from jobbtorg.audit.models import Action, AuditEntry, Outcome
from jobbtorg.audit.services import Actor
from jobbtorg.testing.factories import ParticipationFactory, UserFactory
from jobbtorg.timeline import services
from jobbtorg.timeline.models import Objection, TimelineEntry
from jobbtorg.web.tests.fixtures import apply_ui_settings, closed_participation, make_login

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def actor(user):
    return Actor(user.pk, user.get_username(), user.role)


@pytest.fixture(autouse=True)
def ui_settings(settings):
    apply_ui_settings(settings)


@pytest.fixture
def login(client):
    return make_login(client)


@pytest.fixture
def coach():
    return UserFactory(coach=True, first_name="Cora", last_name="Coach")


@pytest.fixture
def participation(coach):
    return ParticipationFactory(enrolled=True, coach=coach)


def add(participation, kind, text, days_ago=0, author=None):
    return services.append(
        kind=kind,
        text=text,
        author=author or participation.coach,
        participation=participation,
        occurred_on=timezone.localdate() - days_ago * DAY,
    )


def test_timeline_shows_every_participation_newest_first_with_author_and_role(login, coach, participation):
    earlier = closed_participation(person=participation.person, coach=coach)
    add(earlier, "participation_closed", "Avslutad: flyttat", days_ago=100)
    add(participation, "participant_arrived", "Deltagaren kom till jobbtorget", days_ago=7)
    add(participation, "plan_approved", "Aktivitetsplanen godkänd", days_ago=1)

    response = login(coach).get(f"/personer/{participation.person.pk}/")

    html = response.content.decode()
    texts = [e.text for e in response.context["timeline_page"].object_list]
    assert texts == ["Aktivitetsplanen godkänd", "Deltagaren kom till jobbtorget", "Avslutad: flyttat"]
    assert f"Cora Coach, {Role.COACH.label}" in html
    assert "Tidslinje" in html
    # Reading the page (and so the timeline) is the READ audit entry.
    assert AuditEntry.objects.filter(
        user_id=coach.pk, person_id=participation.person.pk, action=Action.READ, outcome=Outcome.ALLOWED
    ).exists()
    # The timeline comes after the plan and activities (UX.md: the person page top to bottom).
    assert html.index("Insatser och närvaro") < html.index('id="timeline-heading"')


def test_timeline_names_authors_own_organisation(login, coach, participation):
    social_worker = UserFactory(social_worker=True, first_name="Sara", last_name="Socialsekreterare")
    provider_staff = UserFactory(provider_staff=True, first_name="Per", last_name="Anordnare",
                                 provider__name="Lärande AB")
    add(participation, "plan_approved", "Aktivitetsplanen godkänd", days_ago=2, author=social_worker)
    add(participation, "participant_arrived", "Deltagaren kom till insatsen", days_ago=1, author=provider_staff)
    add(participation, "participant_arrived", "Deltagaren kom till jobbtorget", days_ago=0)

    html = login(coach).get(f"/personer/{participation.person.pk}/").content.decode()

    # Each author is named with the organisation they work for, not the participant's Jobbtorg.
    assert f"Sara Socialsekreterare, {Role.SOCIAL_WORKER.label} · {social_worker.district.name}" in html
    assert f"Per Anordnare, {Role.PROVIDER_STAFF.label} · Lärande AB" in html
    assert f"Cora Coach, {Role.COACH.label} · {coach.jobbtorg_unit.name}" in html
    assert social_worker.district.name != participation.unit.name


def test_timeline_filter_by_group_in_url_and_htmx(login, coach, participation):
    add(participation, "participant_arrived", "Kom till jobbtorget", days_ago=3)
    plan = add(participation, "plan_approved", "Planen godkänd", days_ago=2)
    services.correct(coach, actor(coach), plan.person_id, plan.pk, "Planen godkändes dagen innan.")
    client = login(coach)
    url = f"/personer/{participation.person.pk}/"

    page = client.get(url + "?typ=plan")
    texts = [e.text for e in page.context["timeline_page"].object_list]
    # The plan group includes the correction of a plan entry.
    assert texts == ["Planen godkändes dagen innan.", "Planen godkänd"]
    assert 'value="plan" selected' in page.content.decode()

    fragment = client.get(url + "?typ=inskrivning", headers={"HX-Request": "true", "HX-Target": "timeline"})
    body = fragment.content.decode()
    assert "Kom till jobbtorget" in body and "Planen godkänd" not in body
    assert "<html" not in body  # only the timeline
    assert fragment.headers["Vary"].count("HX-Target") == 1

    # An unknown group shows everything.
    assert len(client.get(url + "?typ=okand").context["timeline_page"].object_list) == 3


def test_correction_creates_new_entry_pointing_to_the_old(login, coach, participation):
    entry = add(participation, "participant_arrived", "Kom till jobbtorget 3 mars", days_ago=5)
    client = login(coach)
    url = f"/personer/{participation.person.pk}/tidslinje/{entry.pk}/rattelse/"

    response = client.post(url, {"text": "Rätt datum är 4 mars."})

    correction = TimelineEntry.objects.get(corrects=entry)
    assert response.status_code == 302
    assert response["Location"] == f"/personer/{participation.person.pk}/#entry-{correction.pk}"
    assert correction.kind == "entry_corrected" and correction.author == coach
    assert TimelineEntry.objects.get(pk=entry.pk).text == "Kom till jobbtorget 3 mars"  # unchanged
    assert AuditEntry.objects.filter(
        user_id=coach.pk, person_id=participation.person.pk, action=Action.CHANGE, outcome=Outcome.ALLOWED
    ).exists()

    page = client.get(f"/personer/{participation.person.pk}/").content.decode()
    assert f'href="#entry-{entry.pk}"' in page  # the correction links to the entry it corrects
    assert f'href="#entry-{correction.pk}"' in page  # the old entry links to its correction
    assert "Rättelsen är sparad." in page


def test_objection_is_attached_to_the_entry(login, coach, participation):
    entry = add(participation, "deviation_reported", "Ogiltig frånvaro 12 maj", days_ago=2)
    client = login(coach)

    response = client.post(
        f"/personer/{participation.person.pk}/tidslinje/{entry.pk}/invandning/",
        {"text": "Jag var sjuk och ringde in på morgonen."},
    )

    assert response.status_code == 302
    objection = Objection.objects.get(entry=entry)
    assert objection.recorded_by == coach
    page = client.get(f"/personer/{participation.person.pk}/").content.decode()
    assert "Deltagaren invänder:" in page and "Jag var sjuk och ringde in på morgonen." in page
    assert page.index("Ogiltig frånvaro 12 maj") < page.index("Jag var sjuk")


def test_empty_text_is_refused_with_a_swedish_message(login, coach, participation):
    entry = add(participation, "plan_approved", "Planen godkänd")
    response = login(coach).post(f"/personer/{participation.person.pk}/tidslinje/{entry.pk}/rattelse/", {"text": "  "})
    assert response.status_code == 400
    assert "Skriv vad rättelsen gäller." in response.content.decode()
    assert not TimelineEntry.objects.filter(corrects=entry).exists()


def test_user_without_access_gets_404_and_nothing_is_saved(login, participation):
    entry = add(participation, "plan_approved", "Planen godkänd")
    stranger = UserFactory(coach=True, jobbtorg_unit=None)  # no relation to the person
    client = login(stranger)
    for suffix in ("rattelse", "invandning"):
        response = client.post(f"/personer/{participation.person.pk}/tidslinje/{entry.pk}/{suffix}/", {"text": "Fel"})
        assert response.status_code == 404
    assert TimelineEntry.objects.count() == 1
    assert not Objection.objects.exists()
    assert AuditEntry.objects.filter(user_id=stranger.pk, action=Action.CHANGE, outcome=Outcome.REFUSED).count() == 2


def test_entry_of_another_person_is_404(login, coach, participation):
    other = ParticipationFactory(enrolled=True, coach=coach)
    entry = add(other, "plan_approved", "Planen godkänd")
    response = login(coach).post(f"/personer/{participation.person.pk}/tidslinje/{entry.pk}/rattelse/", {"text": "x"})
    assert response.status_code == 404
    assert TimelineEntry.objects.count() == 1


@pytest.mark.parametrize("trait", ["social_worker", "unit_manager"])
def test_others_who_see_the_person_may_read_but_not_correct(login, participation, trait):
    entry = add(participation, "plan_approved", "Planen godkänd")
    user = UserFactory(**{trait: True})
    client = login(user)
    page = client.get(f"/personer/{participation.person.pk}/").content.decode()
    assert "Planen godkänd" in page
    assert "Rätta händelsen" not in page  # no form offered
    response = client.post(f"/personer/{participation.person.pk}/tidslinje/{entry.pk}/rattelse/", {"text": "Fel"})
    assert response.status_code == 403
    assert TimelineEntry.objects.count() == 1
    assert AuditEntry.objects.filter(user_id=user.pk, action=Action.CHANGE, outcome=Outcome.REFUSED).exists()


def test_another_coach_at_the_unit_may_not_correct(login, participation):
    entry = add(participation, "plan_approved", "Planen godkänd")
    colleague = UserFactory(coach=True)
    stand_in(colleague, participation.coach)  # she reaches the person as substitute (issue 8 item 6) ...
    response = login(colleague).post(
        f"/personer/{participation.person.pk}/tidslinje/{entry.pk}/invandning/", {"text": "Fel"}
    )
    assert response.status_code == 403
    assert not Objection.objects.exists()


def test_provider_staff_does_not_see_the_case_file(login, participation):
    from jobbtorg.testing.factories import ActivityFactory, ProviderFactory

    provider = ProviderFactory()
    ActivityFactory(
        participation=participation,
        provider=provider,
        start_date=timezone.localdate() - DAY,
        end_date=timezone.localdate() + DAY,
    )
    add(participation, "plan_approved", "Planen godkänd")
    staff = UserFactory(provider_staff=True, provider=provider)
    response = login(staff).get(f"/personer/{participation.person.pk}/")
    assert response.status_code == 200
    assert "Planen godkänd" not in response.content.decode()


def test_get_shows_form_page_without_js(login, coach, participation):
    entry = add(participation, "plan_approved", "Planen godkänd")
    response = login(coach).get(f"/personer/{participation.person.pk}/tidslinje/{entry.pk}/invandning/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Anteckna deltagarens invändning" in html and 'name="text"' in html


def test_timeline_paginates_50_with_constant_queries(login, coach, participation):
    client = login(coach)
    url = f"/personer/{participation.person.pk}/"

    def entries(n):
        for i in range(n):
            entry = add(participation, "plan_approved", f"Händelse {i}", days_ago=i % 40)
            services.add_objection(coach, actor(coach), entry.person_id, entry.pk, "Invändning")
            services.correct(coach, actor(coach), entry.person_id, entry.pk, "Rättelse")

    entries(2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    entries(40)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    page = response.context["timeline_page"]
    assert page.paginator.count == 84 and len(page.object_list) == 50
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    second = client.get(url + "?sida=2")
    assert len(second.context["timeline_page"].object_list) == 34
    assert "sida=2" in response.content.decode()


def test_coach_may_not_correct_the_districts_entry_but_may_record_an_objection(login, coach, participation):
    worker = UserFactory(social_worker=True)
    decision = add(participation, "plan_approved", "Planen godkänd av stadsdelen", author=worker)
    client = login(coach)
    base = f"/personer/{participation.person.pk}/tidslinje/{decision.pk}/"
    assert client.post(base + "rattelse/", {"text": "Fel"}).status_code == 403
    assert client.post(base + "invandning/", {"text": "Jag håller inte med"}).status_code == 302
    assert not TimelineEntry.objects.filter(corrects=decision).exists()
    assert Objection.objects.filter(entry=decision).count() == 1
