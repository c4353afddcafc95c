"""The append-only audit log (LEGAL.md: logging and log review).

No code path changes or deletes an entry: save() refuses updates, delete() and
the queryset's update()/delete() raise, and on PostgreSQL a trigger (migration
0002) refuses UPDATE and DELETE even from a direct SQL session of the
application's role. The person is stored as a plain id, not a foreign key, so
entries outlive the data they describe (retention, LEGAL.md).

Tamper evidence (docs/adr/0012): each entry carries `entry_hash`, a SHA-256 over its
content and the previous entry's hash (`prev_hash`); `AuditChainHead` holds the last
link, so that a removed tail or an emptied table shows too. `manage.py verify_audit`
walks the chain. On PostgreSQL the database sets `at` (migration 0005).
"""

from typing import Any, NoReturn

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit entry."""


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries can not be changed")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit entries can not be deleted")


class Action(models.TextChoices):
    READ = "read", _("Läsning")
    SEARCH = "search", _("Sökträff")
    LIST = "list", _("Listning")
    CREATE = "create", _("Skapande")
    CHANGE = "change", _("Ändring")
    EXPORT = "export", _("Export")
    PRINT = "print", _("Utskrift")
    LOGIN = "login", _("Inloggning")  # failed logins and lockouts (accounts.services)
    ADMIN = "admin", _("Administration")  # users, roles, units, rights, tokens (old and new values in details)
    ACCESS = "access", _("Åtkomständring")  # protection level, substitutes, emergency access


class Outcome(models.TextChoices):
    ALLOWED = "allowed", _("Tillåten")
    REFUSED = "refused", _("Nekad")


class AuditEntry(models.Model):
    # Set by audit.services from the database clock (and on PostgreSQL by a trigger), never by the caller.
    at = models.DateTimeField(_("tid"), default=timezone.now, db_index=True)
    user_id = models.BigIntegerField(_("användar-id"), null=True)
    username = models.CharField(_("användare"), max_length=150)
    acting_role = models.CharField(_("roll"), max_length=20)
    person_id = models.BigIntegerField(_("person-id"), null=True)
    action = models.CharField(_("händelse"), max_length=10, choices=Action.choices)
    what = models.CharField(_("vad"), max_length=200, help_text=_("Sida eller API-anrop och uppgiftsgrupp"))
    outcome = models.CharField(_("utfall"), max_length=10, choices=Outcome.choices)
    client_address = models.GenericIPAddressField(_("klientadress"), null=True)
    details = models.JSONField(
        _("detaljer"), default=dict, blank=True, help_text=_("Gamla och nya värden, skäl")
    )
    flagged = models.BooleanField(
        _("markerad för granskning"), default=False, help_text=_("Skyddad identitet eller nekad åtkomst")
    )
    prev_hash = models.CharField(_("föregående kontrollsumma"), max_length=64, blank=True, default="")
    entry_hash = models.CharField(_("kontrollsumma"), max_length=64, blank=True, default="")

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("loggpost")
        verbose_name_plural = _("loggposter")
        ordering = ["-at", "-id"]
        indexes = [
            # "Who has accessed this person" and "what has this user accessed", by date.
            models.Index(fields=["person_id", "at"]),
            models.Index(fields=["user_id", "at"]),
            models.Index(fields=["flagged", "at"]),
        ]

    def __str__(self) -> str:
        when = f"{self.at:%Y-%m-%d %H:%M}" if self.at else ""
        return f"{when} {self.username} {self.action} {self.person_id or '-'} {self.outcome}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit entries can not be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries can not be deleted")


class AuditChainHead(models.Model):
    """The last link of the hash chain: one row (pk 1), locked while entries are appended,
    so that concurrent writers chain in one order without reading the audit table."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True, default="")
    entries = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("kedjans senaste länk")
        verbose_name_plural = _("kedjans senaste länkar")

    def __str__(self) -> str:
        return f"{self.entries} entries, last {self.last_id}"
