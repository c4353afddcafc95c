"""Reads over the organisation data (DOMAIN §2)."""

import datetime

from django.utils.translation import gettext_lazy as _

from jobbtorg.core.errors import DomainError
from jobbtorg.organisation.models import District, JobbtorgUnit, ServiceArea


def unit_for_district(district: District | int, on_date: datetime.date) -> JobbtorgUnit:
    """The Jobbtorg unit serving `district` on `on_date`, from the service area valid that day.

    Referrals call this to route a person from their home district. Raises
    DomainError when no service area covers the day (e.g. a district that did
    not exist yet, or was merged away: Hägersten-Liljeholmen after 2019).
    """
    district_id = district.pk if isinstance(district, District) else district
    # One indexed query on (district, valid_from); ServiceArea.clean keeps periods from overlapping.
    area = (
        ServiceArea.objects.valid_on(on_date)
        .filter(district_id=district_id)
        .select_related("unit")
        .order_by("-valid_from")
        .first()
    )
    if area is None:
        raise DomainError(_("Stadsdelen har inget jobbtorg för det datumet"), code="no_service_area")
    return area.unit
