"""Disability registrations (DOMAIN §11, seed 000 section 4): health data, GDPR art. 9.

Kept in its own table so that no other query of the person (person page, lists,
exports) reaches it by accident; read and written only through
`disabilities.services` / `disabilities.selectors`, which check the narrow health
relation (the person's coach, the OSA officer of the person's home district) and
log every access with the data group "funktionsnedsättning".
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobbtorg.core.models import VersionedModel
from jobbtorg.disabilities.rules import CODE_CHOICES, SOURCE_CHOICES, SUB_KIND_CHOICES

DATA_GROUP = "funktionsnedsättning"


class DisabilityRegistration(VersionedModel):
    """Registrering av uppgift om funktionsnedsättning: one code per person, with its documentation."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="disability_registrations", verbose_name=_("person")
    )
    code = models.CharField(_("kod"), max_length=2, choices=CODE_CHOICES)
    sub_kind = models.CharField(_("undertyp"), max_length=20, choices=SUB_KIND_CHOICES, blank=True)
    documented_on = models.DateField(_("underlagets datum"))
    source = models.CharField(_("underlag"), max_length=30, choices=SOURCE_CHOICES)
    source_note = models.CharField(_("om underlaget"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrerad av")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("ändrad av")
    )

    class Meta:
        verbose_name = _("registrerad funktionsnedsättning")
        verbose_name_plural = _("registrerade funktionsnedsättningar")
        ordering = ["code"]
        constraints = [
            # New documentation for the same code updates the registration; it is not a second one.
            models.UniqueConstraint(fields=["person", "code"], name="disability_one_registration_per_code"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.code}"
