"""The activity plan (aktivitetsplan, DOMAIN §4.4) and its versions.

A participation has a series of plan versions numbered 1, 2, 3 ... Each goes
draft → submitted → approved | returned (returned → submitted again after an
edit); the transitions are data in `plans.rules.TRANSITIONS`. The home district
(its social-assistance unit) approves. An approved version is frozen: any change
is made in a new version, a copy, that needs approval again; the approved one
stays the valid plan until the new one is approved, and then becomes
`superseded`.

Two counters, not to be confused:
- `number` is the plan version the user sees ("version 2");
- `version` (from VersionedModel) is the optimistic-locking counter of the row.

Guards: services refuse changes to frozen versions with a Swedish message; the
model (save, delete) and the querysets (update, delete) refuse them too, so no
code path can change an approved plan by mistake.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jobbtorg.core.errors import DomainError
from jobbtorg.core.models import AppendOnlyModel, VersionedModel

FROZEN_MESSAGE = _("Planen är godkänd och kan inte ändras. Gör en ny version av planen för att ändra den.")


class Status(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Väntar på godkännande")
    APPROVED = "approved", _("Godkänd")
    RETURNED = "returned", _("Återsänd")
    REJECTED = "rejected", _("Avslagen")
    SUPERSEDED = "superseded", _("Ersatt av nyare version")


FROZEN_STATUSES = (Status.APPROVED, Status.SUPERSEDED)
OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)


def _is_supersede(kwargs: dict[str, Any]) -> bool:
    """The one change a frozen plan may get: approved → superseded when a newer version is approved."""
    return set(kwargs) <= {"status", "updated_at"} and kwargs.get("status") == Status.SUPERSEDED


class PlanQuerySet(models.QuerySet["ActivityPlan"]):
    def update(self, **kwargs: Any) -> int:
        if not _is_supersede(kwargs) and self.filter(status__in=FROZEN_STATUSES).exists():
            raise DomainError(FROZEN_MESSAGE)
        return super().update(**kwargs)

    def delete(self) -> Any:
        if self.filter(status__in=FROZEN_STATUSES).exists():
            raise DomainError(FROZEN_MESSAGE)
        return super().delete()


class ActivityPlan(VersionedModel):
    """Aktivitetsplan: one version of a participant's plan."""

    participation = models.ForeignKey(
        "participations.Participation", on_delete=models.PROTECT, related_name="plans", verbose_name=_("deltagande")
    )
    number = models.PositiveIntegerField(_("versionsnummer"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    _stored_status: str | None  # the status as loaded or last saved (from_db, save); not a field
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("föregående version")
    )
    goal = models.TextField(_("mål"), blank=True)
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    review_date = models.DateField(_("omprövningsdatum"), null=True, blank=True)
    long_plan_reason = models.TextField(
        _("skäl till längre plan än sex månader"), blank=True,
        help_text=_("Behövs bara om omprövningsdatumet ligger mer än sex månader efter startdatum."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("skapad av")
    )
    # The home district the plan was sent to (set at submission): the approval queue reads
    # its own district's index range instead of joining every submitted plan to the
    # district's participations (bench/README.md, cause 2).
    district = models.ForeignKey(
        "organisation.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("skickad till stadsdel"),
    )
    submitted_on = models.DateField(_("skickad"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("skickad (tid)"), null=True, blank=True)
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("beslutad av")
    )
    decision_comment = models.TextField(_("stadsdelens kommentar"), blank=True)
    # The row version right after the last return: resubmitting needs an edit after it.
    version_at_return = models.PositiveIntegerField(null=True, blank=True, editable=False)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("aktivitetsplan")
        verbose_name_plural = _("aktivitetsplaner")
        ordering = ["participation", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["participation", "number"], name="plan_number_unique"),
            # One version in the works at a time, and one valid (approved) version.
            models.UniqueConstraint(
                fields=["participation"], condition=Q(status__in=["draft", "submitted", "returned"]), name="plan_one_open_version"
            ),
            models.UniqueConstraint(fields=["participation"], condition=Q(status="approved"), name="plan_one_approved_version"),
            models.CheckConstraint(
                condition=Q(review_date__isnull=True) | Q(start_date__isnull=True) | Q(review_date__gt=F("start_date")),
                name="plan_review_after_start",
            ),
        ]
        indexes = [
            # The district's approval queue: its submitted plans, oldest first. Partial, so it stays
            # as small as the queues however many plans the city has.
            models.Index(
                fields=["district", "submitted_at", "id"], condition=Q(status="submitted"), name="plan_district_queue_idx"
            ),
            models.Index(fields=["participation", "status"], name="plan_participation_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.participation_id} v{self.number} ({self.status})"

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any, **kwargs: Any) -> "ActivityPlan":
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._stored_status = instance.__dict__.get("status")
        return instance

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.RETURNED)

    def save(self, *args: Any, **kwargs: Any) -> None:
        stored = getattr(self, "_stored_status", None)
        if stored in FROZEN_STATUSES:
            fields = set(kwargs.get("update_fields") or ())
            superseding = stored == Status.APPROVED and self.status == Status.SUPERSEDED
            if not (superseding and fields and fields <= {"status", "updated_at"}):
                raise DomainError(FROZEN_MESSAGE)
        super().save(*args, **kwargs)
        self._stored_status = self.status

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if getattr(self, "_stored_status", self.status) in FROZEN_STATUSES:
            raise DomainError(FROZEN_MESSAGE)
        return super().delete(*args, **kwargs)


class PlannedActivityQuerySet(models.QuerySet["PlannedActivity"]):
    def update(self, **kwargs: Any) -> int:
        if self.filter(plan__status__in=FROZEN_STATUSES).exists():
            raise DomainError(FROZEN_MESSAGE)
        return super().update(**kwargs)

    def delete(self) -> Any:
        if self.filter(plan__status__in=FROZEN_STATUSES).exists():
            raise DomainError(FROZEN_MESSAGE)
        return super().delete()


class PlannedActivity(models.Model):
    """A planned activity in a plan version: what, optionally from the offer catalogue, from when to when."""

    plan = models.ForeignKey(ActivityPlan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("aktivitetsplan"))
    description = models.CharField(_("vad"), max_length=200)
    catalogue_item = models.ForeignKey(
        "activities.CatalogueItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("insats i utbudet"),
    )
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("slutdatum"))

    objects = PlannedActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("planerad aktivitet")
        verbose_name_plural = _("planerade aktiviteter")
        ordering = ["plan", "start_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="planned_activity_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.description} {self.start_date}–{self.end_date}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._check_not_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self._check_not_frozen()
        return super().delete(*args, **kwargs)

    def _check_not_frozen(self) -> None:
        if ActivityPlan.objects.filter(pk=self.plan_id, status__in=FROZEN_STATUSES).exists():
            raise DomainError(FROZEN_MESSAGE)


class Decision(models.TextChoices):
    SUBMITTED = "submitted", _("Skickad för godkännande")
    APPROVED = "approved", _("Godkänd")
    RETURNED = "returned", _("Återsänd")
    REJECTED = "rejected", _("Avslagen")


class PlanDecision(AppendOnlyModel):
    """One step between the Jobbtorg and the district: submitted, approved or returned (append-only).

    Keeps every round of a plan version, with the district's comment and how many
    working days the plan waited, for the person file and for time-to-approval figures.
    """

    plan = models.ForeignKey(ActivityPlan, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("aktivitetsplan"))
    kind = models.CharField(_("steg"), max_length=10, choices=Decision.choices)
    on = models.DateField(_("datum"))
    at = models.DateTimeField(_("tid"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("av"))
    by_name = models.CharField(_("signatur"), max_length=150)
    district = models.ForeignKey(
        "organisation.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("stadsdel")
    )
    comment = models.TextField(_("kommentar"), blank=True)
    waiting_days = models.PositiveIntegerField(_("väntetid (arbetsdagar)"), null=True, blank=True)

    class Meta:
        verbose_name = _("steg i godkännandet")
        verbose_name_plural = _("steg i godkännandet")
        ordering = ["plan", "at", "id"]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.kind} {self.on}"
