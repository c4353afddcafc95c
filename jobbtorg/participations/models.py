"""A person's participation at a Jobbtorg (DOMAIN §4, §7): from referral to closure.

A later referral of the same person opens a new participation linked to the
earlier one. The participation carries the relations that access is computed
from: its unit, its coach and its home district.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobbtorg.core.models import VersionedModel


class Status(models.TextChoices):
    REFERRED = "referred", _("Anvisad")
    ACTIVE = "active", _("Inskriven")
    INTERRUPTED = "interrupted", _("Avbrott")
    CLOSED = "closed", _("Avslutad")


OPEN_STATUSES = (Status.REFERRED, Status.ACTIVE, Status.INTERRUPTED)


class Participation(VersionedModel):
    """Deltagande: one stay at a Jobbtorg unit."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="participations", verbose_name=_("person"))
    unit = models.ForeignKey("organisation.JobbtorgUnit", on_delete=models.PROTECT, related_name="participations", verbose_name=_("jobbtorg"))
    home_district = models.ForeignKey(
        "organisation.District", on_delete=models.PROTECT, related_name="participations", verbose_name=_("hemstadsdel")
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="caseload", verbose_name=_("coach")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REFERRED)
    referred_on = models.DateField(_("anvisningsdatum"))
    arrived_on = models.DateField(_("ankomstdatum"), null=True, blank=True)
    closed_on = models.DateField(_("avslutsdatum"), null=True, blank=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("tidigare deltagande")
    )

    class Meta:
        verbose_name = _("deltagande")
        verbose_name_plural = _("deltaganden")
        indexes = [
            # Each start page lists open participations by one relation: coach, unit or district.
            models.Index(fields=["coach", "status"]),
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["home_district", "status"]),
            models.Index(fields=["person", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.unit_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
