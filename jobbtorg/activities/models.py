"""The offer catalogue (DOMAIN §5) and the activities a participant takes part in.

An activity at a provider is what makes the participant visible to that
provider's staff (access module), and only while it runs.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jobbtorg.core.models import VersionedModel


class CatalogueItem(models.Model):
    """An offer in the catalogue (utbud): data, editable by the administrator."""

    name = models.CharField(_("namn"), max_length=150, unique=True)
    category = models.CharField(_("kategori"), max_length=100)
    providers = models.ManyToManyField("organisation.Provider", blank=True, related_name="offers", verbose_name=_("anordnare"))
    default_length_days = models.PositiveIntegerField(_("normal längd (dagar)"), default=30)
    capacity = models.PositiveIntegerField(_("platser"), null=True, blank=True)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["category", "name"]
        verbose_name = _("insats i utbudet")
        verbose_name_plural = _("utbud")

    def __str__(self) -> str:
        return self.name


class Activity(VersionedModel):
    """Insats: one time-limited activity in a participation."""

    participation = models.ForeignKey(
        "participations.Participation", on_delete=models.PROTECT, related_name="activities", verbose_name=_("deltagande")
    )
    catalogue_item = models.ForeignKey(CatalogueItem, on_delete=models.PROTECT, related_name="activities", verbose_name=_("insats"))
    provider = models.ForeignKey(
        "organisation.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="activities", verbose_name=_("anordnare")
    )
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("slutdatum"))

    class Meta:
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        indexes = [models.Index(fields=["provider", "end_date"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="activity_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.catalogue_item} {self.start_date}–{self.end_date}"
