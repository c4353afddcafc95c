"""The offer catalogue (DOMAIN §5), the activities a participant takes part in,
their follow-ups, and attendance with its deviation reports (DOMAIN §6).

Swedish words kept in the UI: *utbud* (the catalogue), *insats* (an activity),
*uppföljning* (the follow-up after an activity), *tillfälle* (a session),
*närvaro* (attendance), *avvikelse* (a deviation report to the home district).

An activity at a provider is what makes the participant visible to that
provider's staff (access module), and only while it runs: the access policy
reads `Activity.provider`, `start_date` and `end_date`.

Attendance: one `Attendance` row per participant (activity) and session, and
at most one per activity and day: registering a day again corrects that day's
row (issue 10 item 3). It is created when the session is planned with `status`
empty, which means *Ej registrerad* (missing). Missing is never absence: it is counted and listed
separately (DOMAIN §6, the 2010 audit finding).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jobbtorg.core.models import TimeStampedModel, VersionedModel


class CatalogueItem(models.Model):
    """An offer in the catalogue (utbud): data, editable by the administrator."""

    name = models.CharField(_("namn"), max_length=150, unique=True)
    category = models.CharField(_("kategori"), max_length=100)
    description = models.TextField(_("beskrivning"), blank=True)
    providers = models.ManyToManyField("organisation.Provider", blank=True, related_name="offers", verbose_name=_("anordnare"))
    default_length_days = models.PositiveIntegerField(_("normal längd (dagar)"), default=30)
    capacity = models.PositiveIntegerField(
        _("platser"), null=True, blank=True, help_text=_("Högsta antal deltagare samtidigt. Tomt betyder obegränsat.")
    )
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["category", "name"]
        verbose_name = _("insats i utbudet")
        verbose_name_plural = _("utbud")

    def __str__(self) -> str:
        return self.name


class ActivityStatus(models.TextChoices):
    OPEN = "open", _("Pågår")
    ENDED = "ended", _("Avslutad")
    REPLACED = "replaced", _("Ersatt")


class FollowUpDecision(models.TextChoices):
    CONTINUE = "continue", _("Fortsätt (förläng insatsen)")
    REPLACE = "replace", _("Ersätt med en annan insats")
    END = "end", _("Avsluta insatsen")


class Activity(VersionedModel):
    """Insats: one time-limited activity in a participation."""

    participation = models.ForeignKey(
        "participations.Participation", on_delete=models.PROTECT, related_name="activities", verbose_name=_("deltagande")
    )
    catalogue_item = models.ForeignKey(
        CatalogueItem, on_delete=models.PROTECT, related_name="activities", verbose_name=_("insats")
    )
    provider = models.ForeignKey(
        "organisation.Provider",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("anordnare"),
    )
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("slutdatum"))
    location = models.CharField(_("plats"), max_length=200, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.OPEN)
    closed_on = models.DateField(_("avslutad"), null=True, blank=True)
    predecessor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="successors", verbose_name=_("ersätter")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("skapad av")
    )

    class Meta:
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        indexes = [
            models.Index(fields=["provider", "end_date"]),
            # Capacity check: overlapping activities of one catalogue item.
            models.Index(fields=["catalogue_item", "start_date", "end_date"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="activity_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.catalogue_item} {self.start_date}–{self.end_date}"

    @property
    def is_open(self) -> bool:
        return self.status == ActivityStatus.OPEN


class ActivityFollowUp(models.Model):
    """Uppföljning: the result of an activity and what happens next. Never edited."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="followups", verbose_name=_("insats"))
    followed_up_on = models.DateField(_("uppföljningsdatum"))
    result = models.TextField(_("resultat"))
    decision = models.CharField(_("beslut"), max_length=10, choices=FollowUpDecision.choices)
    previous_end_date = models.DateField(_("tidigare slutdatum"))
    new_end_date = models.DateField(_("nytt slutdatum"), null=True, blank=True)
    successor = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("ny insats")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(_("signatur"), max_length=150)
    recorded_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        ordering = ["followed_up_on", "id"]
        verbose_name = _("uppföljning av insats")
        verbose_name_plural = _("uppföljningar av insatser")

    def __str__(self) -> str:
        return f"{self.activity_id} {self.followed_up_on} {self.decision}"


class ActivitySession(TimeStampedModel):
    """Tillfälle: one day (and time) of an activity, or a group session held by a
    provider or a coach for several participants' activities of one catalogue item.
    """

    catalogue_item = models.ForeignKey(CatalogueItem, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("insats"))
    provider = models.ForeignKey(
        "organisation.Provider",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("anordnare"),
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_sessions",
        verbose_name=_("ansvarig coach"),
    )
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("starttid"), null=True, blank=True)
    end_time = models.TimeField(_("sluttid"), null=True, blank=True)
    is_group = models.BooleanField(_("grupptillfälle"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["date", "start_time", "id"]
        verbose_name = _("tillfälle")
        verbose_name_plural = _("tillfällen")
        indexes = [models.Index(fields=["provider", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__isnull=True) | Q(end_time__isnull=True) | Q(end_time__gt=F("start_time")),
                name="session_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.catalogue_item} {self.date}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Närvarande")
    ABSENT = "absent", _("Frånvarande")
    NON_COOPERATION = "non_cooperation", _("Bristande medverkan")


class AbsenceReason(models.TextChoices):
    SICK = "sick", _("Sjuk")
    CHILD_SICK = "child_sick", _("Vård av sjukt barn")
    APPOINTMENT = "appointment", _("Besök (t.ex. Arbetsförmedlingen, vården)")
    UNEXCUSED = "unexcused", _("Ogiltig frånvaro")
    OTHER = "other", _("Annat skäl")


class Attendance(VersionedModel):
    """Närvaro: one participant at one session. `status` empty = Ej registrerad (missing)."""

    session = models.ForeignKey(
        ActivitySession, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("tillfälle")
    )
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("insats"))
    # Copy of session.date (sessions are never moved): the missing list filters on it with the status.
    date = models.DateField(_("datum"))
    status = models.CharField(_("närvaro"), max_length=20, choices=AttendanceStatus.choices, null=True, blank=True)
    absence_reason = models.CharField(_("frånvaroorsak"), max_length=20, choices=AbsenceReason.choices, blank=True)
    note = models.CharField(_("kommentar"), max_length=500, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerad av"),
    )
    registered_at = models.DateTimeField(_("registrerad"), null=True, blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        constraints = [
            models.UniqueConstraint(fields=["session", "activity"], name="attendance_one_per_session_and_activity"),
            # A day is registered once: registering it again corrects it (issue 10 item 3).
            models.UniqueConstraint(fields=["activity", "date"], name="attendance_one_per_activity_and_day"),
        ]
        indexes = [
            # Rates per activity; the missing list (status empty) by activity and date.
            models.Index(fields=["activity", "status"]),
            models.Index(fields=["activity", "date"], condition=Q(status__isnull=True), name="attendance_missing_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.date} {self.status or '-'}"

    @property
    def is_registered(self) -> bool:
        return self.status is not None


class DeviationKind(models.TextChoices):
    UNEXCUSED_ABSENCE = "unexcused_absence", _("Ogiltig frånvaro")
    NON_COOPERATION = "non_cooperation", _("Bristande medverkan")


class Deviation(VersionedModel):
    """Avvikelse: a report to the home district of an unexcused absence or non-cooperation.

    The Jobbtorg reports the fact; the district decides on any consequence for
    social assistance and may record its own note, shown as the district's.
    """

    attendance = models.OneToOneField(
        Attendance, null=True, blank=True, on_delete=models.PROTECT, related_name="deviation", verbose_name=_("närvaro")
    )
    # A missed visit (uteblivet besök) is reported the same way as an unexcused absence (DOMAIN §6).
    appointment = models.OneToOneField(
        "participations.Appointment", null=True, blank=True, on_delete=models.PROTECT, related_name="deviation",
        verbose_name=_("besök"),
    )
    participation = models.ForeignKey(
        "participations.Participation", on_delete=models.PROTECT, related_name="deviations", verbose_name=_("deltagande")
    )
    district = models.ForeignKey(
        "organisation.District", on_delete=models.PROTECT, related_name="deviations", verbose_name=_("hemstadsdel")
    )
    kind = models.CharField(_("typ"), max_length=20, choices=DeviationKind.choices)
    occurred_on = models.DateField(_("gäller datum"))
    reported_on = models.DateField(_("rapporterad"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    acknowledged_on = models.DateField(_("kvitterad"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kvitterad av"),
    )
    district_note = models.TextField(_("Stadsdelens beslut/åtgärd"), blank=True)
    withdrawn_on = models.DateField(
        _("återkallad"), null=True, blank=True, help_text=_("Registreringen rättades så att den inte längre är en avvikelse.")
    )

    class Meta:
        ordering = ["reported_on", "id"]
        verbose_name = _("avvikelse")
        verbose_name_plural = _("avvikelser")
        indexes = [
            # The district's inbox: its deviations, unacknowledged first, oldest first.
            models.Index(fields=["district", "acknowledged_on", "reported_on"]),
        ]
        constraints = [
            # A deviation is about one registered session or one missed visit, never both or neither.
            models.CheckConstraint(
                condition=models.Q(attendance__isnull=False, appointment__isnull=True)
                | models.Q(attendance__isnull=True, appointment__isnull=False),
                name="deviation_attendance_or_appointment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_on}"
