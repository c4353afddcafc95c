"""The offer catalogue (utbud) every Jobbtorg has, as data (DOMAIN §5, seed 002
"Vad ska jobbtorgen kunna erbjuda?").

Loaded by a data migration with get_or_create by name, so rows an administrator
has edited (and rows the demo loader made) are never overwritten. Providers are
not linked: an item without providers may be run by any provider or in-house;
the administrator links procured or in-house (egen regi) providers in the admin.
Capacity is empty (unlimited) until the administrator sets it.
Default lengths are starting values for the coach's form, not rules.
"""

from typing import Any

ASSESSMENT = "Kartläggning och vägledning"
COACHING = "Rådgivning och coachning"
MATCHING = "Matchning och rekrytering"
LANGUAGE = "Svenska och SFI"
PREPARATORY = "Förberedande insatser"
WORK_PRACTICE = "Arbetsträning och praktik"
EDUCATION = "Utbildning och validering"
AF = "Arbetsförmedlingen"
ENTERPRISE = "Eget företagande"
SUPPORT = "Stöd"

# (name, category, default length in days, description). Each line of DOMAIN §5 is here;
# the preparatory activities and the practice levels are one item each.
OFFERS: list[tuple[str, str, int, str]] = [
    ("Utredning/kartläggning", ASSESSMENT, 30, "Kartläggning med stadens gemensamma bedömningsinstrument."),
    ("Studie- och yrkesvägledning (SYV)", ASSESSMENT, 30, ""),
    ("Rådgivning", COACHING, 30, ""),
    ("Individuell coachning", COACHING, 90, ""),
    ("Matchning mot befintliga jobb i näringslivet och i staden", MATCHING, 90, ""),
    ("SFI-test", LANGUAGE, 14, "Kan göras på Jobbtorget eller på annan plats."),
    ("SFI kopplad till praktik", LANGUAGE, 90, ""),
    ("Motiverande samtal", PREPARATORY, 30, ""),
    ("Gruppsamtal", PREPARATORY, 30, ""),
    ("CV-skrivning", PREPARATORY, 14, ""),
    ("Intervjuträning", PREPARATORY, 14, ""),
    ("Arbetsträning", WORK_PRACTICE, 90, ""),
    ("Språkpraktik/introduktionspraktik", WORK_PRACTICE, 90, ""),
    ("Praktik som arbetsträning", WORK_PRACTICE, 90, ""),
    ("Praktik som första steg till ett arbete", WORK_PRACTICE, 90, ""),
    ("Kortare förberedande yrkesutbildning", EDUCATION, 90, ""),
    ("Validering av tidigare yrkeskunskaper och betyg", EDUCATION, 60, ""),
    (
        "Längre anpassad yrkesutbildning",
        EDUCATION,
        365,
        "Inom vuxenutbildningen, med förstärkning av arbetsmarknadsmedel, t.ex. språkstöd eller anpassad studietid.",
    ),
    ("Arbetsförmedlingens utbud", AF, 90, "För den som är berättigad till Arbetsförmedlingens insatser."),
    (
        "Rekryteringsaktivitet (rekryteringsmässa)",
        MATCHING,
        1,
        "Mindre rekryteringsmässor med arbetsgivare eller bemanningsföretag, "
        "hos Arbetsförmedlingen, ett företag eller på Jobbtorget.",
    ),
    ("Starta eget-rådgivning", ENTERPRISE, 60, ""),
    ("Supported Employment (SE/IPS)", SUPPORT, 180, ""),
    ("Språkstöd", LANGUAGE, 90, ""),
    ("Information om bostad på orter med jobb", SUPPORT, 14, ""),
]


def load(apps: Any) -> None:
    """Create the offers that are missing; safe to run again."""
    CatalogueItem = apps.get_model("activities", "CatalogueItem")
    for name, category, length, description in OFFERS:
        CatalogueItem.objects.get_or_create(
            name=name, defaults={"category": category, "default_length_days": length, "description": description}
        )
