"""The timeline is append-only; corrections and objections are new rows (LEGAL.md, SoL 14 kap.)."""

import pytest

from jobbtorg.core.errors import DomainError
from jobbtorg.testing import factories as f
from jobbtorg.timeline import services
from jobbtorg.timeline.models import Objection, TimelineEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    coach = f.UserFactory(coach=True)
    participation = f.ParticipationFactory(enrolled=True, coach=coach)
    return services.append(kind="participation_enrolled", text="Inskriven", author=coach, participation=participation)


def test_entry_is_signed_with_author_and_role(entry):
    assert entry.author_role == "coach"
    assert entry.author_name
    assert entry.person_id == entry.participation.person_id


def test_timeline_entry_can_not_be_changed_or_deleted(entry):
    entry.text = "ändrad"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        TimelineEntry.objects.filter(pk=entry.pk).update(text="x")
    with pytest.raises(PermissionError):
        TimelineEntry.objects.filter(pk=entry.pk).delete()
    assert TimelineEntry.objects.get(pk=entry.pk).text == "Inskriven"


def test_correction_is_a_new_entry_pointing_at_the_old(entry):
    correction = services.correct(entry, "Fel datum angavs", entry.author)
    assert correction.pk != entry.pk
    assert correction.corrects_id == entry.pk
    assert TimelineEntry.objects.get(pk=entry.pk).text == "Inskriven"


def test_participant_objection_is_attached_to_entry(entry):
    objection = services.add_objection(entry, "Deltagaren menar att hen var sjuk", entry.author)
    assert list(entry.objections.all()) == [objection]
    with pytest.raises(PermissionError):
        Objection.objects.filter(pk=objection.pk).delete()


def test_empty_objection_refused(entry):
    with pytest.raises(DomainError):
        services.add_objection(entry, "  ", entry.author)
    assert not Objection.objects.exists()
