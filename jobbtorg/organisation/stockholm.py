"""Stockholm's organisation as data (DOMAIN §2, seed 002): loaded by migration 0002.

The founding decision (KF 2007, in force 2008-01-01) set five Jobbtorg units,
each serving fixed districts. On 2020-01-01 Hägersten-Liljeholmen and Älvsjö
merged into Hägersten-Älvsjö, giving today's 13 districts. Enheten för hemlösa
acts like a district; it is served by Jobbtorg Innerstaden (an assumption
recorded in docs/adr/0004, editable in the admin).
"""

import datetime

FOUNDED = datetime.date(2008, 1, 1)
MERGER = datetime.date(2020, 1, 1)
BEFORE_MERGER = datetime.date(2019, 12, 31)

# code, name, kind, population (approx., used for demo proportions), valid_from, valid_to
DISTRICTS = [
    ("rinkeby-kista", "Rinkeby-Kista", "district", 49000, None, None),
    ("spanga-tensta", "Spånga-Tensta", "district", 40000, None, None),
    ("hasselby-vallingby", "Hässelby-Vällingby", "district", 78000, None, None),
    ("bromma", "Bromma", "district", 80000, None, None),
    ("kungsholmen", "Kungsholmen", "district", 70000, None, None),
    ("norrmalm", "Norrmalm", "district", 72000, None, None),
    ("ostermalm", "Östermalm", "district", 74000, None, None),
    ("sodermalm", "Södermalm", "district", 132000, None, None),
    ("enskede-arsta-vantor", "Enskede-Årsta-Vantör", "district", 107000, None, None),
    ("skarpnack", "Skarpnäck", "district", 49000, None, None),
    ("farsta", "Farsta", "district", 60000, None, None),
    ("hagersten-alvsjo", "Hägersten-Älvsjö", "district", 110000, MERGER, None),
    ("skarholmen", "Skärholmen", "district", 38000, None, None),
    ("hagersten-liljeholmen", "Hägersten-Liljeholmen", "district", 0, None, BEFORE_MERGER),
    ("alvsjo", "Älvsjö", "district", 0, None, BEFORE_MERGER),
    ("enheten-for-hemlosa", "Enheten för hemlösa", "homeless_unit", 3000, None, None),
]

# code, name, location, specialisation
UNITS = [
    ("sydost", "Jobbtorg Sydost", "Vantör", ""),
    ("sydvast", "Jobbtorg Sydväst", "Skärholmen", ""),
    ("innerstaden", "Jobbtorg Innerstaden", "Kungsholmen", ""),
    ("vasterort", "Jobbtorg Västerort", "Vällingby", ""),
    ("jarva", "Jobbtorg Järva", "Kista", ""),
    ("unga", "Jobbtorg för unga", "Stockholm", "Unga 16/18–29 år"),
]

# district code, unit code, valid_from, valid_to
SERVICE_AREAS = [
    ("enskede-arsta-vantor", "sydost", FOUNDED, None),
    ("farsta", "sydost", FOUNDED, None),
    ("skarpnack", "sydost", FOUNDED, None),
    ("skarholmen", "sydvast", FOUNDED, None),
    ("hagersten-liljeholmen", "sydvast", FOUNDED, BEFORE_MERGER),
    ("alvsjo", "sydvast", FOUNDED, BEFORE_MERGER),
    ("hagersten-alvsjo", "sydvast", MERGER, None),
    ("kungsholmen", "innerstaden", FOUNDED, None),
    ("norrmalm", "innerstaden", FOUNDED, None),
    ("ostermalm", "innerstaden", FOUNDED, None),
    ("sodermalm", "innerstaden", FOUNDED, None),
    ("enheten-for-hemlosa", "innerstaden", FOUNDED, None),
    ("hasselby-vallingby", "vasterort", FOUNDED, None),
    ("bromma", "vasterort", FOUNDED, None),
    ("rinkeby-kista", "jarva", FOUNDED, None),
    ("spanga-tensta", "jarva", FOUNDED, None),
]

AF_UNITS = [
    ("city-vallingby", "Arbetsförmedlingen City/Vällingby", "City, Vällingby"),
    ("globen", "Arbetsförmedlingen Globen", "Globen, Liljeholmen, Skärholmen"),
    ("jarva", "Arbetsförmedlingen Järva", "Järva"),
]

# The city's own in-house provider units (egen regi).
IN_HOUSE_PROVIDERS = [
    "Jobbtorg Stockholm egen regi – Vägledning och coachning",
    "Jobbtorg Stockholm egen regi – Arbetsträning",
]


def load(apps: object) -> None:
    """Create or update the organisation rows; safe to run again."""
    District = apps.get_model("organisation", "District")  # type: ignore[attr-defined]
    JobbtorgUnit = apps.get_model("organisation", "JobbtorgUnit")  # type: ignore[attr-defined]
    ServiceArea = apps.get_model("organisation", "ServiceArea")  # type: ignore[attr-defined]
    AFUnit = apps.get_model("organisation", "AFUnit")  # type: ignore[attr-defined]
    Provider = apps.get_model("organisation", "Provider")  # type: ignore[attr-defined]

    districts = {}
    for code, name, kind, population, valid_from, valid_to in DISTRICTS:
        districts[code], _ = District.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "population": population,
                "valid_from": valid_from or datetime.date(2007, 1, 1),
                "valid_to": valid_to,
            },
        )
    units = {}
    for code, name, location, specialisation in UNITS:
        units[code], _ = JobbtorgUnit.objects.update_or_create(
            code=code,
            defaults={"name": name, "location": location, "specialisation": specialisation, "valid_from": FOUNDED},
        )
    for district, unit, valid_from, valid_to in SERVICE_AREAS:
        ServiceArea.objects.get_or_create(
            district=districts[district], unit=units[unit], valid_from=valid_from, defaults={"valid_to": valid_to}
        )
    for code, name, areas in AF_UNITS:
        AFUnit.objects.update_or_create(code=code, defaults={"name": name, "areas": areas})
    for name in IN_HOUSE_PROVIDERS:
        Provider.objects.get_or_create(name=name, defaults={"kind": "in_house"})
