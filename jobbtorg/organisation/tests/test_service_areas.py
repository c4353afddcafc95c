"""Which Jobbtorg unit serves a district on a given day (DOMAIN §2): dated service
areas, no overlaps, and the 2020 district merger."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from jobbtorg.core.errors import DomainError
from jobbtorg.organisation import stockholm
from jobbtorg.organisation.models import ServiceArea
from jobbtorg.organisation.selectors import unit_for_district
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date

TODAYS_UNIT = {
    "rinkeby-kista": "jarva",
    "spanga-tensta": "jarva",
    "hasselby-vallingby": "vasterort",
    "bromma": "vasterort",
    "kungsholmen": "innerstaden",
    "norrmalm": "innerstaden",
    "ostermalm": "innerstaden",
    "sodermalm": "innerstaden",
    "enskede-arsta-vantor": "sydost",
    "skarpnack": "sydost",
    "farsta": "sydost",
    "hagersten-alvsjo": "sydvast",
    "skarholmen": "sydvast",
    "enheten-for-hemlosa": "innerstaden",
}


@pytest.mark.parametrize(("district", "unit"), TODAYS_UNIT.items())
def test_every_district_of_today_has_its_jobbtorg(district, unit):
    assert unit_for_district(f.district(district), D(2026, 1, 15)).code == unit


def test_the_thirteen_districts_and_the_homeless_unit_are_all_served_today():
    served = {area.district.code for area in ServiceArea.objects.valid_on(D(2026, 1, 15)).select_related("district")}
    assert served == set(TODAYS_UNIT)
    assert len([c for c in served if c != "enheten-for-hemlosa"]) == 13


# --- the 2020 merger: Hägersten-Liljeholmen + Älvsjö → Hägersten-Älvsjö -------------


@pytest.mark.parametrize("district", ["hagersten-liljeholmen", "alvsjo"])
def test_merged_districts_went_to_sydvast_until_the_end_of_2019(district):
    assert unit_for_district(f.district(district), stockholm.BEFORE_MERGER).code == "sydvast"
    assert unit_for_district(f.district(district), stockholm.FOUNDED).code == "sydvast"


@pytest.mark.parametrize("district", ["hagersten-liljeholmen", "alvsjo"])
def test_merged_districts_have_no_jobbtorg_from_2020(district):
    with pytest.raises(DomainError) as refused:
        unit_for_district(f.district(district), stockholm.MERGER)
    assert refused.value.messages == ["Stadsdelen har inget jobbtorg för det datumet"]


def test_hagersten_alvsjo_goes_to_sydvast_from_2020_and_did_not_exist_before():
    hagersten_alvsjo = f.district("hagersten-alvsjo")

    assert unit_for_district(hagersten_alvsjo, stockholm.MERGER).code == "sydvast"
    with pytest.raises(DomainError):
        unit_for_district(hagersten_alvsjo, stockholm.BEFORE_MERGER)


def test_no_jobbtorg_before_the_founding():
    with pytest.raises(DomainError, match="inget jobbtorg"):
        unit_for_district(f.district("rinkeby-kista"), stockholm.FOUNDED - datetime.timedelta(days=1))


def test_unit_for_district_accepts_an_id():
    assert unit_for_district(f.district("bromma").pk, D(2026, 1, 15)).code == "vasterort"


def test_a_new_service_area_takes_over_from_its_first_day():
    bromma = f.district("bromma")
    current = ServiceArea.objects.get(district=bromma, valid_to__isnull=True)
    ServiceArea.objects.filter(pk=current.pk).update(valid_to=D(2026, 6, 30))
    ServiceArea.objects.create(district=bromma, unit=f.unit("jarva"), valid_from=D(2026, 7, 1))

    assert unit_for_district(bromma, D(2026, 6, 30)).code == "vasterort"
    assert unit_for_district(bromma, D(2026, 7, 1)).code == "jarva"


def test_unit_for_district_runs_one_query(django_assert_num_queries):
    bromma = f.district("bromma")
    with django_assert_num_queries(1):
        unit_for_district(bromma, D(2026, 1, 15))


# --- ServiceArea.clean: no overlapping periods for one district ----------------------


def _area(district="bromma", unit="jarva", start=None, end=None):
    start = start or D(2030, 1, 1)
    return ServiceArea(district=f.district(district), unit=f.unit(unit), valid_from=start, valid_to=end)


def test_overlapping_period_for_the_same_district_is_refused_in_swedish():
    # Bromma is served by Västerort from 2008, open-ended.
    with pytest.raises(ValidationError) as refused:
        _area(start=D(2030, 1, 1)).full_clean()
    message = refused.value.messages[0]
    assert message.startswith("Perioden överlappar Jobbtorg Västerort för samma stadsdel (2008-01-01–tills vidare)")


@pytest.mark.parametrize(
    ("start", "end", "overlaps"),
    [
        (D(2020, 1, 1), D(2020, 12, 31), True),  # inside
        (D(2019, 1, 1), D(2020, 1, 1), True),  # shares the first day
        (D(2020, 12, 31), None, True),  # shares the last day, open-ended
        (D(2021, 1, 1), None, False),  # starts the day after
        (D(2018, 1, 1), D(2019, 12, 31), False),  # ends the day before
        (D(2018, 1, 1), None, True),  # open-ended across it
    ],
)
def test_periods_overlap_when_they_share_a_day(start, end, overlaps):
    district = _new_district()
    ServiceArea.objects.create(district=district, unit=f.unit("jarva"), valid_from=D(2020, 1, 1), valid_to=D(2020, 12, 31))
    candidate = ServiceArea(district=district, unit=f.unit("sydost"), valid_from=start, valid_to=end)

    if overlaps:
        with pytest.raises(ValidationError):
            candidate.full_clean()
    else:
        candidate.full_clean()


def _new_district():
    from jobbtorg.organisation.models import District

    return District.objects.create(code="ny-stadsdel", name="Ny stadsdel")


def test_the_same_dates_for_another_district_are_fine():
    district = _new_district()
    _area(district=district.code, start=stockholm.FOUNDED).full_clean()


def test_editing_a_service_area_does_not_clash_with_itself():
    area = ServiceArea.objects.get(district__code="bromma", valid_to__isnull=True)
    area.valid_to = D(2030, 12, 31)
    area.full_clean()


def test_end_before_start_is_refused_on_the_end_field():
    with pytest.raises(ValidationError) as refused:
        _area(district=_new_district().code, start=D(2030, 1, 1), end=D(2029, 12, 31)).full_clean()
    assert refused.value.message_dict["valid_to"] == ["Ange ett slutdatum som är samma som eller efter startdatumet."]


def test_loaded_stockholm_data_has_no_overlaps():
    for area in ServiceArea.objects.all():
        area.full_clean()
