"""A person's participation at a Jobbtorg (DOMAIN §4, §7): from referral to closure.

A later referral of the same person opens a new participation linked to the
earlier one. The participation carries the relations that access is computed
from: its unit, its coach and its home district.

Every change goes through `participations.services` (one write path); the
constraints below repeat the rules that must hold even if a bug or a direct
SQL session tried otherwise: one open participation per person, and no
closure without a reason and an outcome (the founding evaluation found 11 %
closed without a reason, DOMAIN §7).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jobbtorg.core.models import TimeStampedModel, VersionedModel


class Status(models.TextChoices):
    REFERRED = "referred", _("Anvisad")
    ACTIVE = "active", _("Inskriven")
    INTERRUPTED = "interrupted", _("Avbrott")
    CLOSED = "closed", _("Avslutad")


OPEN_STATUSES = (Status.REFERRED, Status.ACTIVE, Status.INTERRUPTED)


class ClosureReason(models.TextChoices):
    """Avslutsorsak (DOMAIN §7): the top level of the outcome taxonomy."""

    WORK = "work", _("Arbete")
    STUDIES = "studies", _("Studier")
    TRANSFER = "transfer", _("Övergång till annan insats")
    MOVED = "moved", _("Flyttat")
    INTERRUPTED_NO_RETURN = "interrupted_no_return", _("Avbrott utan återkomst")
    OTHER = "other", _("Annat")
    # The district withdrew its referral before the person arrived (referrals.services.withdraw_referral);
    # never chosen in the closure form.
    WITHDRAWN = "withdrawn", _("Anvisningen återkallad")


class EmploymentForm(models.TextChoices):
    PERMANENT = "permanent", _("Tillsvidareanställning")
    FIXED_TERM = "fixed_term", _("Visstidsanställning")
    HOURLY = "hourly", _("Timanställning")


class EmploymentExtent(models.TextChoices):
    FULL_TIME = "full_time", _("Heltid")
    PART_TIME = "part_time", _("Deltid")


class WageSubsidy(models.TextChoices):
    """Anställningsstöd (DOMAIN §9); NONE is an explicit answer, not a missing one."""

    NONE = "none", _("Utan anställningsstöd")
    LONEBIDRAG = "lonebidrag", _("Lönebidrag")
    NYSTARTSJOBB = "nystartsjobb", _("Nystartsjobb")
    INTRODUKTIONSJOBB = "introduktionsjobb", _("Introduktionsjobb")
    YRKESINTRODUKTION = "yrkesintroduktion", _("Yrkesintroduktionsanställning")
    OSA = "osa", _("Skyddat arbete hos offentlig arbetsgivare (OSA)")
    STOCKHOLMSJOBB = "stockholmsjobb", _("Stockholmsjobb")


class StudyLevel(models.TextChoices):
    SFI = "sfi", _("SFI")
    KOMVUX = "komvux", _("Komvux")
    FOLKHOGSKOLA = "folkhogskola", _("Folkhögskola")
    VOCATIONAL = "vocational", _("Yrkesutbildning")
    UNIVERSITY = "university", _("Universitet eller högskola")


class TransferTo(models.TextChoices):
    ARBETSFORMEDLINGEN = "arbetsformedlingen", _("Arbetsförmedlingen")
    OSA = "osa", _("OSA")
    FORSAKRINGSKASSAN = "forsakringskassan", _("Försäkringskassan")
    HEALTH_CARE = "health_care", _("Hälso- och sjukvård")


class Participation(VersionedModel):
    """Deltagande: one stay at a Jobbtorg unit."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="participations", verbose_name=_("person"))
    unit = models.ForeignKey(
        "organisation.JobbtorgUnit", on_delete=models.PROTECT, related_name="participations", verbose_name=_("jobbtorg")
    )
    home_district = models.ForeignKey(
        "organisation.District", on_delete=models.PROTECT, related_name="participations", verbose_name=_("hemstadsdel")
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="caseload",
        verbose_name=_("coach"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REFERRED)
    referred_on = models.DateField(_("anvisningsdatum"))
    arrived_on = models.DateField(_("ankomstdatum"), null=True, blank=True)
    closed_on = models.DateField(_("avslutsdatum"), null=True, blank=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("tidigare deltagande")
    )

    # Enrolment (DOMAIN §4.2). The coach booked for the first appointment is provisional
    # until a unit manager assigns one (coach_assigned_on set).
    coach_assigned_on = models.DateField(_("coach tilldelad"), null=True, blank=True)
    coach_assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tilldelad av"),
    )
    af_registered = models.BooleanField(_("inskriven på Arbetsförmedlingen"), null=True, blank=True)
    af_registered_on = models.DateField(_("inskriven på Arbetsförmedlingen sedan"), null=True, blank=True)
    informed_rights = models.BooleanField(_("informerad om rättigheter"), default=False)
    informed_duty = models.BooleanField(_("informerad om skyldigheten att delta"), default=False)
    informed_consequences = models.BooleanField(_("informerad om konsekvenser av att inte delta"), default=False)
    information_signed_on = models.DateField(_("information given"), null=True, blank=True)
    information_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("signerad av")
    )
    job_guarantee_offer_on = models.DateField(_("jobbgaranti: erbjudande lämnat"), null=True, blank=True)

    # Closure (DOMAIN §7), stored so the Kolada key figure can be computed (participations.rules).
    closure_reason = models.CharField(_("avslutsorsak"), max_length=30, choices=ClosureReason.choices, blank=True)
    employment_form = models.CharField(_("anställningsform"), max_length=20, choices=EmploymentForm.choices, blank=True)
    employment_extent = models.CharField(_("omfattning"), max_length=20, choices=EmploymentExtent.choices, blank=True)
    wage_subsidy = models.CharField(_("anställningsstöd"), max_length=30, choices=WageSubsidy.choices, blank=True)
    employment_lasts_a_month = models.BooleanField(_("anställningen varar minst en sammanhängande månad"), null=True, blank=True)
    study_level = models.CharField(_("studienivå"), max_length=20, choices=StudyLevel.choices, blank=True)
    transfer_to = models.CharField(_("övergång till"), max_length=30, choices=TransferTo.choices, blank=True)
    closure_text = models.TextField(_("kommentar till avslut"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("avslutad av")
    )

    class Meta:
        verbose_name = _("deltagande")
        verbose_name_plural = _("deltaganden")
        indexes = [
            # Each start page lists open participations by one relation: coach, unit or district.
            models.Index(fields=["coach", "status"]),
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["home_district", "status"]),
            # The district's list of its residents' open participations, newest referral first
            # (the default sort): read in index order and stop after a page (bench/README.md, cause 3).
            models.Index(
                fields=["home_district", "referred_on", "id"],
                condition=Q(status__in=["referred", "active", "interrupted"]),
                name="part_district_open_idx",
            ),
            models.Index(fields=["person", "status"]),
        ]
        constraints = [
            # A later referral opens a new participation only after the earlier one is closed.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=["referred", "active", "interrupted"]),
                name="participation_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_on__isnull=False) & ~Q(closure_reason="")),
                name="participation_closed_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(closure_reason="work") | (~Q(employment_form="") & ~Q(employment_extent="") & ~Q(wage_subsidy="")),
                name="participation_work_outcome_complete",
            ),
            models.CheckConstraint(
                condition=~Q(closure_reason="studies") | ~Q(study_level=""), name="participation_studies_outcome_complete"
            ),
            models.CheckConstraint(
                condition=~Q(closure_reason="transfer") | ~Q(transfer_to=""), name="participation_transfer_outcome_complete"
            ),
            models.CheckConstraint(
                condition=~Q(closure_reason="other") | ~Q(closure_text=""), name="participation_other_outcome_has_text"
            ),
            models.CheckConstraint(
                condition=Q(arrived_on__isnull=True) | Q(arrived_on__gte=F("referred_on")),
                name="participation_arrival_after_referral",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("referred_on")),
                name="participation_closure_after_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.unit_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def information_complete(self) -> bool:
        return self.informed_rights and self.informed_duty and self.informed_consequences and bool(self.information_signed_on)


class VisitStatus(models.TextChoices):
    """A visit's state (participations.rules.VISIT_TRANSITIONS): booked, then held, missed or cancelled."""

    BOOKED = "booked", _("Bokat")
    HELD = "held", _("Genomfört")
    NO_SHOW = "no_show", _("Uteblev")
    CANCELLED = "cancelled", _("Inställt")


# A booked visit holds its time: the same participation or coach cannot be booked twice at it.
HOLDS_TIME = ("booked", "held", "no_show")


class Appointment(VersionedModel):
    """A booked meeting at the Jobbtorg; the first one is booked at referral (DOMAIN §4.1).

    A visit is never deleted: a cancelled one stays, struck, with its reason; a rescheduled one
    keeps its earlier times in the timeline (the entry's data holds old and new)."""

    class Kind(models.TextChoices):
        FIRST = "first", _("Första besök")
        OTHER = "other", _("Besök")

    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("deltagande")
    )
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices, default=Kind.FIRST)
    starts_at = models.DateTimeField(_("tid"))
    place = models.CharField(_("plats"), max_length=200)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("coach")
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("bokad av")
    )
    status = models.CharField(_("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.BOOKED)
    cancel_reason = models.CharField(_("orsak till inställt besök"), max_length=500, blank=True)
    status_changed_on = models.DateField(_("status ändrad"), null=True, blank=True)

    class Meta:
        verbose_name = _("besökstid")
        verbose_name_plural = _("besökstider")
        ordering = ["starts_at"]
        indexes = [
            # The coach's "today" list and week calendar: appointments by coach and time.
            models.Index(fields=["coach", "starts_at"]),
        ]
        constraints = [
            # The same visit cannot be booked twice; a cancelled one frees its time.
            models.UniqueConstraint(
                fields=["participation", "starts_at"],
                condition=models.Q(status__in=HOLDS_TIME),
                name="appointment_one_per_participation_and_time",
            ),
            models.UniqueConstraint(
                fields=["coach", "starts_at"],
                condition=models.Q(status__in=HOLDS_TIME),
                name="appointment_one_per_coach_and_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.place}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == VisitStatus.CANCELLED


class InterruptionReason(models.TextChoices):
    PREGNANCY = "pregnancy", _("Graviditet")
    PARENTAL_LEAVE = "parental_leave", _("Föräldraledighet")
    ILLNESS = "illness", _("Sjukdom")
    OTHER = "other", _("Annat")


class Interruption(TimeStampedModel):
    """Avbrott: the clocks stop from `start_date` until the restart (`end_date`, nystart)."""

    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="interruptions", verbose_name=_("deltagande")
    )
    reason = models.CharField(_("orsak"), max_length=20, choices=InterruptionReason.choices)
    reason_text = models.TextField(_("beskrivning"), blank=True)
    start_date = models.DateField(_("från"))
    end_date = models.DateField(_("nystart"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrerat av")
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("nystart av")
    )

    class Meta:
        verbose_name = _("avbrott")
        verbose_name_plural = _("avbrott")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="interruption_end_after_start"
            ),
            models.CheckConstraint(condition=~Q(reason="other") | ~Q(reason_text=""), name="interruption_other_has_text"),
            models.UniqueConstraint(
                fields=["participation"], condition=Q(end_date__isnull=True), name="interruption_one_running"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} {self.start_date}–{self.end_date or ''}"


class FollowUpPoint(models.TextChoices):
    TWO_MONTHS = "2_months", _("2 månader efter avslut")
    EIGHT_MONTHS = "8_months", _("8 månader efter avslut")


class PostClosureFollowUp(VersionedModel):
    """Uppföljning efter avslut (DOMAIN §7): the social-assistance reduction and whether the outcome held."""

    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="followups", verbose_name=_("deltagande")
    )
    point = models.CharField(_("tidpunkt"), max_length=10, choices=FollowUpPoint.choices)
    due_on = models.DateField(_("ska göras"))
    assistance_reduction_kr = models.PositiveIntegerField(_("minskat försörjningsstöd (kr per månad)"), null=True, blank=True)
    outcome_sustained = models.BooleanField(_("resultatet består"), null=True, blank=True)
    note = models.TextField(_("kommentar"), blank=True)
    recorded_on = models.DateField(_("registrerad"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerad av"),
    )

    class Meta:
        verbose_name = _("uppföljning efter avslut")
        verbose_name_plural = _("uppföljningar efter avslut")
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["participation", "point"], name="followup_one_per_point"),
            models.CheckConstraint(
                condition=Q(recorded_on__isnull=True) | Q(outcome_sustained__isnull=False),
                name="followup_recorded_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participation_id} {self.point}"
