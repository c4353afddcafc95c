"""The offer catalogue is data seeded from DOMAIN §5 (issue 3, part 5)."""

import pytest
from django.apps import apps

from jobbtorg.activities import catalogue
from jobbtorg.activities.models import CatalogueItem

pytestmark = pytest.mark.django_db

# Every offer of DOMAIN §5 / seed 002 "Alla Jobbtorg ska ha ett utbud bestående av", by the words
# a coach would look for in the item's name.
DOMAIN_5 = [
    "kartläggning",
    "studie- och yrkesvägledning",
    "rådgivning",
    "individuell coachning",
    "matchning mot befintliga jobb",
    "sfi-test",
    "sfi kopplad till praktik",
    "motiverande samtal",
    "gruppsamtal",
    "cv-skrivning",
    "intervjuträning",
    "arbetsträning",
    "språkpraktik/introduktionspraktik",
    "praktik som arbetsträning",
    "praktik som första steg till ett arbete",
    "kortare förberedande yrkesutbildning",
    "validering av tidigare yrkeskunskaper och betyg",
    "längre anpassad yrkesutbildning",
    "arbetsförmedlingens utbud",
    "rekryteringsaktivitet",
    "starta eget",
    "supported employment",
    "språkstöd",
    "bostad",
]


def test_catalogue_contains_domain_5_offers():
    names = [n.lower() for n in CatalogueItem.objects.values_list("name", flat=True)]
    missing = [offer for offer in DOMAIN_5 if not any(offer in name for name in names)]
    assert missing == []
    for item in CatalogueItem.objects.filter(name__in=[o[0] for o in catalogue.OFFERS]):
        assert item.category and item.default_length_days > 0
        assert item.capacity is None  # unlimited until the administrator sets places
        assert not item.providers.exists()  # none linked by default


def test_catalogue_load_keeps_existing_rows_and_does_not_duplicate():
    edited = CatalogueItem.objects.get(name="Arbetsträning")
    edited.capacity = 12
    edited.category = "Ändrad av administratören"
    edited.save()
    before = CatalogueItem.objects.count()
    catalogue.load(apps)
    assert CatalogueItem.objects.count() == before
    edited.refresh_from_db()
    assert (edited.capacity, edited.category) == (12, "Ändrad av administratören")
