"""Every kind of deadline has an English label (the UI is Swedish with English through i18n):
the worklists, the badge and the digest show `Deadline.label`, translated where shown."""

from django.utils import translation

from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import RULES, Kind


def test_every_deadline_kind_has_an_english_label():
    with translation.override("en"):
        untranslated = [rule.label for rule in RULES.values() if translation.gettext(rule.label) == rule.label]
    assert untranslated == []


def test_a_deadline_shows_its_label_in_the_users_language():
    deadline = Deadline(kind=Kind.PLAN_DRAWN_UP)
    with translation.override("sv"):
        assert deadline.label == "Aktivitetsplan upprättas"
    with translation.override("en"):
        assert deadline.label == "Activity plan drawn up"
