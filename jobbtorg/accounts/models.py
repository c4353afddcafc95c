"""Users and their roles (DOMAIN §1). A user acts in one role from one organisation unit."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COACH = "coach", _("Coach")
    SOCIAL_WORKER = "social_worker", _("Socialsekreterare")
    OSA_OFFICER = "osa_officer", _("OSA-handläggare")
    MATCHER = "matcher", _("Matchare")
    PROVIDER_STAFF = "provider_staff", _("Anordnare")
    UNIT_MANAGER = "unit_manager", _("Enhetschef")
    ANALYST = "analyst", _("Analytiker")
    HR = "hr", _("HR")
    SYSADMIN = "sysadmin", _("Systemförvaltare")


class User(AbstractUser):
    """A member of staff. Which unit field is set follows the role:
    Jobbtorg unit for coaches, matchers and managers; district for social workers
    and OSA officers; provider for provider staff.
    """

    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    jobbtorg_unit = models.ForeignKey(
        "organisation.JobbtorgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="staff",
        verbose_name=_("jobbtorg"),
    )
    district = models.ForeignKey(
        "organisation.District", null=True, blank=True, on_delete=models.PROTECT, related_name="staff", verbose_name=_("stadsdel")
    )
    provider = models.ForeignKey(
        "organisation.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="staff",
        verbose_name=_("anordnare"),
    )

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        indexes = [models.Index(fields=["role", "jobbtorg_unit"])]

    @property
    def unit_name(self) -> str:
        unit = self.jobbtorg_unit or self.district or self.provider
        return str(unit) if unit else ""
