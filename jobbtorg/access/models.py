"""Relations that widen a coach's access beyond her own caseload, each for a limited time
(issue 8 item 6; access/policy.py decides, access/services.py writes and audits).

- `Substitution` (vikarie): during a period a named coach of the same unit stands in for an
  absent coach and sees the absent coach's caseload. Set by the unit manager or by the absent
  coach herself; revoked rather than deleted, so the log review can see who had access when.
- `EmergencyAccess` (nödåtkomst): a coach opens one person of her unit outside her caseload,
  stating why; it lasts 24 hours and waits for the unit manager's signature in the log review.

Both are looked up by the access policy as a correlated EXISTS per person on an index, so a
list costs the same whatever the number of substitutions or emergency accesses (docs/adr/0006).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How long an emergency access lasts (Swedish health and social care systems: hours, not days).
EMERGENCY_ACCESS_HOURS = 24


class Substitution(models.Model):
    """`substitute` sees `absent_coach`'s caseload at `unit` from `valid_from` to `valid_to` (inclusive)."""

    absent_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="substituted_by",
        verbose_name=_("frånvarande coach"),
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="substitutes_for", verbose_name=_("vikarie")
    )
    unit = models.ForeignKey(
        "organisation.JobbtorgUnit", on_delete=models.PROTECT, related_name="substitutions", verbose_name=_("jobbtorg")
    )
    valid_from = models.DateField(_("Från och med"))
    valid_to = models.DateField(_("Till och med"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("vikarie angiven av")
    )
    created_at = models.DateTimeField(_("vikarie angiven"), default=timezone.now)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("vikarie återkallad av"),
    )
    revoked_at = models.DateTimeField(_("vikarie återkallad"), null=True, blank=True)

    class Meta:
        verbose_name = _("vikarie")
        verbose_name_plural = _("vikarier")
        ordering = ["-valid_from", "-id"]
        indexes = [
            # The policy: "for whom does this user stand in today?" (a handful of rows per user).
            models.Index(fields=["substitute", "valid_from", "valid_to"], name="subst_substitute_idx"),
            # The pages: a coach's own substitutes, a unit's substitutions.
            models.Index(fields=["absent_coach", "valid_to"], name="subst_absent_idx"),
            models.Index(fields=["unit", "valid_to"], name="subst_unit_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gte=models.F("valid_from")), name="subst_period_order"),
            models.CheckConstraint(condition=~Q(substitute=models.F("absent_coach")), name="subst_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.substitute} för {self.absent_coach} {self.valid_from}–{self.valid_to}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_current(self, today: datetime.date) -> bool:
        return not self.is_revoked and self.valid_from <= today <= self.valid_to


class EmergencyAccess(models.Model):
    """A coach's time-limited access to one person of her unit outside her caseload, with a reason."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_accesses",
        verbose_name=_("användare"),
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="emergency_accesses", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        "organisation.JobbtorgUnit", on_delete=models.PROTECT, related_name="emergency_accesses",
        verbose_name=_("jobbtorg"),
    )
    reason = models.TextField(_("skäl till nödåtkomst"))
    granted_at = models.DateTimeField(_("nödåtkomst beviljad"), default=timezone.now)
    expires_at = models.DateTimeField(_("giltig till"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("signerad av"),
    )
    signed_at = models.DateTimeField(_("signerad den"), null=True, blank=True)

    class Meta:
        verbose_name = _("nödåtkomst")
        verbose_name_plural = _("nödåtkomster")
        ordering = ["-granted_at", "-id"]
        indexes = [
            # The policy's correlated probe: this person, this user, not yet expired.
            models.Index(fields=["person", "user", "expires_at"], name="emerg_person_user_idx"),
            # The unit manager's sign-off list: unsigned first, newest first.
            models.Index(fields=["unit", "signed_at", "granted_at"], name="emerg_unit_signed_idx"),
            models.Index(fields=["user", "granted_at"], name="emerg_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.person_id} {self.granted_at:%Y-%m-%d %H:%M}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    def is_active(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) < self.expires_at
