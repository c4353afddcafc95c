"""OSA - skyddat arbete hos offentlig arbetsgivare (DOMAIN §10, seed 000 section 3).

An `OsaCase` (OSA-anställning) is one person's sheltered public employment: eligibility
grounds and the joint assessment, the employer, its periods, the implementation plan
(genomförandeplan) in versions, the follow-up meetings and the follow-up deadlines
computed from them (stored due dates, refreshed by `osa.services`), and transfers
between districts. Annual places (årsplatser) are planned per district and year.

Every change goes through `osa.services`; the rules are `osa.rules`; both use the words in `osa.vocabulary`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobbtorg.core.models import TimeStampedModel, VersionedModel
from jobbtorg.osa.vocabulary import (
    ACTIVITY_CHOICES,
    CASE_STATUS_LABELS,
    END_REASON_LABELS,
    GROUND_LABELS,
    RESPONSIBLE_CHOICES,
    CaseStatus,
    Ground,
)

DATA_GROUP = "OSA-anställning"


class AssessmentOutcome(models.TextChoices):
    IN_TARGET_GROUP = "in_target_group", _("Tillhör målgruppen för OSA")
    NOT_IN_TARGET_GROUP = "not_in_target_group", _("Tillhör inte målgruppen för OSA")


class OsaCase(VersionedModel):
    """OSA-anställning: one person's sheltered public employment with the city as employer."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="osa_cases", verbose_name=_("person"))
    # Responsibility follows residence: `district` is responsible until `handover_on`, then
    # `next_district` (decided by the old district, seed 000). Stored so the officer's list is one query.
    district = models.ForeignKey(
        "organisation.District", on_delete=models.PROTECT, related_name="osa_cases", verbose_name=_("ansvarig stadsdel")
    )
    next_district = models.ForeignKey(
        "organisation.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("ny ansvarig stadsdel"),
    )  # fmt: skip
    handover_on = models.DateField(_("övertagandedatum"), null=True, blank=True)

    employer = models.ForeignKey(
        "organisation.Employer", on_delete=models.PROTECT, related_name="osa_cases", verbose_name=_("arbetsgivare")
    )
    workplace = models.CharField(_("arbetsplats"), max_length=200)

    ground_cognitive_or_addiction = models.BooleanField(
        _("kognitiv funktionsnedsättning eller nedsatt arbetsförmåga på grund av missbruks- eller beroendeproblematik"),
        default=False,
    )
    ground_lss = models.BooleanField(_("berättigad till insatser enligt LSS"), default=False)
    ground_no_contact_or_mental_illness = models.BooleanField(
        _("ingen tidigare kontakt med arbetslivet eller lång frånvaro på grund av svår psykisk sjukdom"), default=False
    )

    # The joint assessment by district and Arbetsförmedlingen (gemensam bedömning).
    assessed_on = models.DateField(_("datum för gemensam bedömning"))
    assessed_by_district = models.CharField(_("bedömt av (stadsdelen)"), max_length=150)
    assessed_by_af = models.CharField(_("bedömt av (Arbetsförmedlingen)"), max_length=150)
    af_unit = models.ForeignKey(
        "organisation.AFUnit", on_delete=models.PROTECT, related_name="osa_cases", verbose_name=_("Arbetsförmedlingens enhet")
    )
    assessment_outcome = models.CharField(_("bedömningens utfall"), max_length=30, choices=AssessmentOutcome.choices)
    assessment_note = models.TextField(_("kommentar till bedömningen"), blank=True)

    transition_planned = models.BooleanField(_("övergång till annat arbete planeras"), default=False)
    transition_planned_on = models.DateField(_("övergång planerad sedan"), null=True, blank=True)
    # The state machine is osa.rules.TRANSITIONS; only osa.services.end_case ends a case.
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=[(s.value, label) for s, label in CASE_STATUS_LABELS.items()],
        default=CaseStatus.ACTIVE.value,
    )
    ended_on = models.DateField(_("avslutad"), null=True, blank=True)
    end_reason = models.CharField(
        _("avslutsorsak"), max_length=20, blank=True, choices=[(r.value, label) for r, label in END_REASON_LABELS.items()]
    )
    end_reason_text = models.CharField(_("kommentar till avslutet"), max_length=300, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("skapad av")
    )

    class Meta:
        verbose_name = _("OSA-anställning")
        verbose_name_plural = _("OSA-anställningar")
        indexes = [
            # The officer's list: cases by responsible district (before and after a handover).
            models.Index(fields=["district", "ended_on"]),
            models.Index(fields=["next_district", "handover_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ground_cognitive_or_addiction=True)
                | Q(ground_lss=True)
                | Q(ground_no_contact_or_mental_illness=True),
                name="osa_case_has_a_ground",
            ),
            models.CheckConstraint(
                condition=Q(next_district__isnull=True, handover_on__isnull=True)
                | Q(next_district__isnull=False, handover_on__isnull=False),
                name="osa_case_transfer_complete",
            ),
            models.CheckConstraint(
                condition=Q(status="active", ended_on__isnull=True, end_reason="")
                | (Q(status="ended", ended_on__isnull=False) & ~Q(end_reason="")),
                name="osa_case_ended_with_date_and_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"OSA {self.pk} ({self.person_id})"

    @property
    def grounds(self) -> list[str]:
        flags = {
            Ground.COGNITIVE_OR_ADDICTION: self.ground_cognitive_or_addiction,
            Ground.LSS: self.ground_lss,
            Ground.NO_CONTACT_OR_MENTAL_ILLNESS: self.ground_no_contact_or_mental_illness,
        }
        return [str(GROUND_LABELS[g]) for g, on in flags.items() if on]

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.ACTIVE

    def responsible_district_id(self, on) -> int:
        if self.next_district_id and self.handover_on and self.handover_on <= on:
            return self.next_district_id
        return self.district_id


class ReviewOutcome(models.TextChoices):
    """The decision of an individual review (DOMAIN §10: past 2 years only after a recorded review)."""

    APPROVED = "approved", _("Anställningen får förlängas utöver 24 månader")
    REFUSED = "refused", _("Anställningen förlängs inte utöver 24 månader")


class IndividualReview(TimeStampedModel):
    """Individuell prövning: a decision, by a user, on a date, with an outcome. An approving review
    allows the one extension that takes the total past 24 months; a refusing one stays on the case's
    history and allows nothing. Reviews recorded before issue 10 named the reviewer in free text:
    that text is kept in `legacy_reviewed_by` and shown as such; their outcome was approval."""

    case = models.ForeignKey(OsaCase, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("OSA-anställning"))
    reviewed_on = models.DateField(_("beslutsdatum"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("beslutad av")
    )
    outcome = models.CharField(_("beslut"), max_length=10, choices=ReviewOutcome.choices, default=ReviewOutcome.APPROVED)
    legacy_reviewed_by = models.CharField(_("prövad av (fritext, före beslutsfälten)"), max_length=150, blank=True)
    reasoning = models.TextField(_("motivering"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("individuell prövning")
        verbose_name_plural = _("individuella prövningar")
        ordering = ["reviewed_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.reviewed_on} {self.outcome}"

    @property
    def approves(self) -> bool:
        return self.outcome == ReviewOutcome.APPROVED

    @property
    def decider_name(self) -> str:
        """Who decided: the user, or the free text of a review recorded before the decision fields."""
        user = self.decided_by
        if user is not None:
            return user.get_full_name() or user.get_username()
        return self.legacy_reviewed_by


class OsaPeriod(TimeStampedModel):
    """Anställningsperiod: the first one (normally 6 months) or an extension of 6 or 12 months."""

    class Kind(models.TextChoices):
        FIRST = "first", _("Inledande period")
        EXTENSION = "extension", _("Förlängning")

    case = models.ForeignKey(OsaCase, on_delete=models.PROTECT, related_name="periods", verbose_name=_("OSA-anställning"))
    number = models.PositiveSmallIntegerField(_("nummer"))
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    start_date = models.DateField(_("från"))
    end_date = models.DateField(_("till"))
    months = models.PositiveSmallIntegerField(_("månader"))
    length_reason = models.CharField(_("skäl till annan längd"), max_length=300, blank=True)
    review = models.OneToOneField(
        IndividualReview, null=True, blank=True, on_delete=models.PROTECT, related_name="period",
        verbose_name=_("individuell prövning"),
    )  # fmt: skip
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("anställningsperiod")
        verbose_name_plural = _("anställningsperioder")
        ordering = ["number"]
        indexes = [models.Index(fields=["start_date", "end_date"])]  # annual places: periods overlapping a year
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="osa_period_number_unique"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="osa_period_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.number} {self.start_date}–{self.end_date}"


class ImplementationPlan(VersionedModel):
    """Genomförandeplan: `version` is the number of the current PlanVersion (0 = none yet)."""

    case = models.OneToOneField(OsaCase, on_delete=models.PROTECT, related_name="plan", verbose_name=_("OSA-anställning"))

    class Meta:
        verbose_name = _("genomförandeplan")
        verbose_name_plural = _("genomförandeplaner")


class PlanVersion(models.Model):
    """One saved version of the implementation plan; never changed afterwards."""

    plan = models.ForeignKey(ImplementationPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    saved_at = models.DateTimeField(_("sparad"), auto_now_add=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sparad av")
    )
    note = models.CharField(_("vad ändrades"), max_length=300, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="osa_plan_version_unique")]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number}"


class PlanItem(models.Model):
    """Insats in the plan: an activity from an actor's menu, who is responsible, and when."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="items")
    activity = models.CharField(_("insats"), max_length=40, choices=ACTIVITY_CHOICES)
    responsible = models.CharField(_("ansvarig part"), max_length=20, choices=RESPONSIBLE_CHOICES)
    responsible_name = models.CharField(_("ansvarig person"), max_length=150, blank=True)
    planned_on = models.DateField(_("när"))
    note = models.CharField(_("kommentar"), max_length=300, blank=True)

    class Meta:
        ordering = ["planned_on", "id"]

    def __str__(self) -> str:
        return f"{self.activity} {self.planned_on}"


class FollowUpMeeting(TimeStampedModel):
    """Uppföljningsmöte: who took part decides which follow-up it completes (osa.rules)."""

    case = models.ForeignKey(OsaCase, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("OSA-anställning"))
    held_on = models.DateField(_("datum"))
    employee = models.BooleanField(_("den anställde"), default=False)
    af = models.BooleanField(_("Arbetsförmedlingen"), default=False)
    district = models.BooleanField(_("stadsdelen/Enheten för hemlösa"), default=False)
    jobbtorg = models.BooleanField(_("Jobbtorg Stockholm"), default=False)
    workplace = models.BooleanField(_("arbetsplatsen"), default=False)
    notes = models.TextField(_("anteckningar"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("uppföljningsmöte")
        verbose_name_plural = _("uppföljningsmöten")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.held_on}"

    @property
    def parties(self) -> frozenset[str]:
        return frozenset(p for p in ("employee", "af", "district", "jobbtorg", "workplace") if getattr(self, p))


class Transfer(TimeStampedModel):
    """Flytt till annan stadsdel: the old district decides when the new one takes over."""

    case = models.ForeignKey(OsaCase, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("OSA-anställning"))
    from_district = models.ForeignKey("organisation.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("från"))
    to_district = models.ForeignKey("organisation.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("till"))
    decided_on = models.DateField(_("beslutat"))
    handover_on = models.DateField(_("övertagandedatum"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("kommentar"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("överflyttning")
        verbose_name_plural = _("överflyttningar")
        ordering = ["handover_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_district_id}→{self.to_district_id} {self.handover_on}"


class AnnualPlaces(VersionedModel):
    """Årsplatser: places agreed for a district and calendar year with Arbetsförmedlingen."""

    district = models.ForeignKey("organisation.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("stadsdel"))
    year = models.PositiveSmallIntegerField(_("år"))
    planned = models.PositiveIntegerField(_("planerade årsplatser"))
    af_unit = models.ForeignKey(
        "organisation.AFUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("överenskommet med"),
    )  # fmt: skip
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("årsplatser")
        verbose_name_plural = _("årsplatser")
        ordering = ["year", "district__name"]
        constraints = [models.UniqueConstraint(fields=["district", "year"], name="osa_annual_places_unique")]

    def __str__(self) -> str:
        return f"{self.district_id} {self.year}: {self.planned}"
