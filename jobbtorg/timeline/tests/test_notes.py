"""Case notes (journalanteckningar, issue 10 item 4): typed and dated entries on the timeline;
a correction is a new entry pointing at the note (LEGAL.md, SoL 14 kap. 3 och 6 §§)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from jobbtorg.audit.models import AuditEntry
from jobbtorg.audit.services import Actor
from jobbtorg.core.errors import AccessDenied, DomainError
from jobbtorg.testing import factories as f
from jobbtorg.timeline import rules, services
from jobbtorg.timeline.models import TimelineEntry

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def actor(user):
    return Actor(user.pk, user.get_username(), user.role)


@pytest.fixture
def coach():
    return f.UserFactory(coach=True)


@pytest.fixture
def participation(coach):
    return f.ParticipationFactory(enrolled=True, coach=coach)


def note(user, p, **kwargs):
    values = {"note_type": "telefon", "occurred_on": timezone.localdate() - DAY, "text": "Ringde om praktikplatsen."}
    return services.add_note(user, actor(user), p.pk, **{**values, **kwargs})


def test_case_note_is_typed_and_dated_on_the_timeline(coach, participation):
    entry = note(coach, participation)
    assert (entry.kind, entry.data, entry.occurred_on) == ("note_recorded", {"note_type": "telefon"}, timezone.localdate() - DAY)
    assert entry.note_type_label == "Telefon" and entry.author == coach
    assert AuditEntry.objects.filter(user_id=coach.pk, what="tidslinje · journalanteckning", outcome="allowed").exists()


def test_case_note_date_is_not_in_the_future_nor_before_the_participation():
    today = datetime.date(2026, 11, 25)
    referred = datetime.date(2026, 11, 2)
    ok = rules.validate_note(note_type="samtal", occurred_on=referred, text="x", referred_on=referred, today=today)
    assert ok == {}
    future = rules.validate_note(note_type="samtal", occurred_on=today + DAY, text="x", referred_on=referred, today=today)
    assert future["occurred_on"] == ["Anteckningen kan inte gälla en dag i framtiden."]
    before = rules.validate_note(note_type="samtal", occurred_on=referred - DAY, text="x", referred_on=referred, today=today)
    assert "2026-11-02" in before["occurred_on"][0]
    empty = rules.validate_note(note_type="fax", occurred_on=today, text=" ", referred_on=referred, today=today)
    assert set(empty) == {"note_type", "text"}


def test_case_note_outside_bounds_is_refused_and_nothing_saved(coach, participation):
    with pytest.raises(DomainError) as exc:
        note(coach, participation, occurred_on=timezone.localdate() + DAY)
    assert "occurred_on" in exc.value.message_dict
    assert not TimelineEntry.objects.filter(kind="note_recorded").exists()


def test_case_note_correction_is_new_entry(coach, participation):
    entry = note(coach, participation, text="Samtal om SFI.", note_type="samtal")
    correction = services.correct(coach, actor(coach), participation.person_id, entry.pk, "Det gällde komvux, inte SFI.")
    entry.refresh_from_db()
    assert entry.text == "Samtal om SFI." and entry.data == {"note_type": "samtal"}
    assert correction.pk != entry.pk and correction.corrects == entry
    assert correction.data["corrects_kind"] == "note_recorded"
    assert list(entry.corrections.all()) == [correction]


def test_another_units_coach_and_the_district_cannot_write_notes(coach, participation):
    assert note(coach, participation).author == coach
    stranger = f.UserFactory(coach=True, jobbtorg_unit=f.unit("vasterort"))
    social_worker = f.UserFactory(social_worker=True)
    for user in (stranger, social_worker):
        with pytest.raises((AccessDenied, PermissionDenied)):
            note(user, participation)
    assert TimelineEntry.objects.filter(kind="note_recorded").count() == 1
    assert AuditEntry.objects.filter(user_id=social_worker.pk, outcome="refused").exists()


def login(client, user):
    user.save()
    client.force_login(user)


def test_note_form_on_the_person_page_saves_and_shows_the_note(client, settings, coach, participation):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    login(client, coach)
    page = client.get(f"/personer/{participation.person_id}/").content.decode()
    assert "Ny journalanteckning" in page and 'name="note-note_type"' in page
    url = f"/personer/{participation.person_id}/tidslinje/anteckning/"
    day = (timezone.localdate() - DAY).isoformat()
    refused = client.post(url, {"note-note_type": "besok", "note-occurred_on": day, "note-text": ""})
    assert refused.status_code == 400 and "Skriv anteckningen." in refused.content.decode()
    saved = client.post(url, {"note-note_type": "besok", "note-occurred_on": day, "note-text": "Hembesök tillsammans med SYV."})
    assert saved.status_code == 302
    page = client.get(f"/personer/{participation.person_id}/").content.decode()
    assert "Journalanteckning · Besök" in page and "Hembesök tillsammans med SYV." in page and day in page


def test_district_social_worker_gets_no_note_form(client, settings, participation):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    social_worker = f.UserFactory(social_worker=True)
    login(client, social_worker)
    url = f"/personer/{participation.person_id}/tidslinje/anteckning/"
    assert client.post(url, {"note-note_type": "samtal", "note-occurred_on": "2026-11-20", "note-text": "x"}).status_code == 404
    assert not TimelineEntry.objects.filter(kind="note_recorded").exists()
