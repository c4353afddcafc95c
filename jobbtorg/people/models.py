"""The participant registry (DOMAIN §1, §17, LEGAL.md).

Keyed by personnummer or samordningsnummer, stored normalised as 12 digits.
Age and sex are derived from the number, never stored.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbtorg.core import personnummer
from jobbtorg.core.models import VersionedModel


class ProtectionLevel(models.TextChoices):
    NONE = "none", _("Ingen")
    CONFIDENTIALITY_MARKING = "sekretessmarkering", _("Sekretessmarkering")
    PROTECTED_REGISTRATION = "skyddad_folkbokforing", _("Skyddad folkbokföring")


class Person(VersionedModel):
    """A person known to the Jobbtorg (deltagare)."""

    personnummer = models.CharField(
        _("personnummer"), max_length=12, unique=True, validators=[personnummer.validate_normalised]
    )
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    home_district = models.ForeignKey(
        "organisation.District", on_delete=models.PROTECT, related_name="residents", verbose_name=_("hemstadsdel")
    )
    street_address = models.CharField(_("adress"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=6, blank=True)
    city = models.CharField(_("ort"), max_length=100, blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    protection_level = models.CharField(
        _("skyddsnivå"), max_length=30, choices=ProtectionLevel.choices, default=ProtectionLevel.NONE
    )
    # Staff explicitly named to see a protected person's address and contact details.
    contact_grants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="protected_contact_grants", verbose_name=_("namngiven personal")
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        indexes = [
            # Name search within an access scope; the district index serves district lists.
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["home_district", "last_name"]),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_protected(self) -> bool:
        return self.protection_level != ProtectionLevel.NONE

    @property
    def birth_date(self) -> datetime.date:
        return personnummer.birth_date(self.personnummer)

    def age_on(self, day: datetime.date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def personnummer_display(self) -> str:
        return personnummer.display(self.personnummer)
