"""Users and their roles (DOMAIN §1), failed logins for the login throttle, and API tokens.

A user acts in one role from one organisation unit.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
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
    # Set by the system administrator in the admin: may lower or remove a person's protection
    # level (with a stated reason), like the unit manager (people.services.lower_protection).
    is_data_protection_officer = models.BooleanField(
        _("dataskyddsansvarig"),
        default=False,
        help_text=_("Får sänka eller ta bort en persons skyddsnivå, med ett angivet skäl."),
    )

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        indexes = [models.Index(fields=["role", "jobbtorg_unit"])]

    @property
    def unit_name(self) -> str:
        unit = self.jobbtorg_unit or self.district or self.provider
        return str(unit) if unit else ""


class LoginFailure(models.Model):
    """A failed password login, kept for the throttle (docs/adr/0011) and deleted after an hour or less.

    One row per failed attempt; a row is also written while an attempt's password is being
    checked, and removed again when the login succeeds. `username` is what was typed,
    lower-cased, whether or not such a user exists; no password is ever stored.
    """

    username = models.CharField(_("användarnamn"), max_length=150)
    client_address = models.GenericIPAddressField(_("klientadress"), null=True)
    at = models.DateTimeField(_("tid"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("misslyckad inloggning")
        verbose_name_plural = _("misslyckade inloggningar")
        indexes = [
            models.Index(fields=["username", "at"]),
            models.Index(fields=["client_address", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.client_address or '-'} {self.at:%Y-%m-%d %H:%M:%S}"


class ApiToken(models.Model):
    """An integration's API token (`Authorization: Token <key>`), one per user.

    Only the SHA-256 of the key is stored: the key is shown once, when it is issued
    (`manage.py create_api_token`). `prefix` is the key's first characters, not secret,
    so an administrator can tell tokens apart. Issue, rotate and revoke through
    `accounts.services`, which writes the audit entry.
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="api_token", verbose_name=_("användare")
    )
    prefix = models.CharField(_("början av nyckeln"), max_length=8)
    key_hash = models.CharField(_("nyckelns SHA-256"), max_length=64, unique=True)
    created = models.DateTimeField(_("utfärdad"), default=timezone.now)
    expires = models.DateTimeField(_("giltig till"))
    last_used = models.DateTimeField(_("senast använd"), null=True, blank=True, help_text=_("Uppdateras högst en gång i timmen."))

    class Meta:
        verbose_name = _("API-token")
        verbose_name_plural = _("API-tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user.get_username()})"
