"""Referral intake (anvisning, DOMAIN §3, §4.1): target groups as data, the referral
from the home district with its consent or legal ground, and CSV import batches.

A referral opens a participation (participations app) and belongs to it one to
one; the participation is what the rest of the path hangs on.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobbtorg.core.models import TimeStampedModel


class TargetGroup(models.Model):
    """Målgrupp (DOMAIN §3), loaded by a data migration and edited in the admin.

    `needs_conditions`: the "other groups" entry, allowed only when all three
    conditions hold. `is_job_guarantee`: social assistance due to unemployment,
    which gets work or education offered within five days. `needs_consent`:
    the group itself is sensitive data (GDPR art. 9), so consent is required,
    a legal ground alone is not enough.
    """

    code = models.SlugField(_("kod"), max_length=40, unique=True, help_text=_("Används i CSV-import."))
    name = models.CharField(_("namn"), max_length=150)
    description = models.TextField(_("beskrivning"), blank=True)
    needs_conditions = models.BooleanField(_("kräver de tre villkoren"), default=False)
    is_job_guarantee = models.BooleanField(_("jobbgaranti"), default=False)
    needs_consent = models.BooleanField(_("kräver samtycke"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("målgrupp")
        verbose_name_plural = _("målgrupper")

    def __str__(self) -> str:
        return self.name


class ReferralImport(TimeStampedModel):
    """One successful CSV import from a district. Failed imports leave no trace in the database."""

    district = models.ForeignKey("organisation.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("stadsdel"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uppladdad av")
    )
    filename = models.CharField(_("filnamn"), max_length=200, blank=True)
    row_count = models.PositiveIntegerField(_("antal rader"), default=0)

    class Meta:
        verbose_name = _("import av anvisningar")
        verbose_name_plural = _("importer av anvisningar")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.row_count})"


class Referral(TimeStampedModel):
    """Anvisning: the home district's decision that the person is in the Jobbtorg's target group."""

    class Source(models.TextChoices):
        FORM = "form", _("Formulär")
        API = "api", _("API")
        CSV = "csv", _("CSV-import")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Skickad")
        RETURNED = "returned", _("Återsänd till stadsdelen")
        WITHDRAWN = "withdrawn", _("Återkallad av stadsdelen")

    participation = models.OneToOneField(
        "participations.Participation", on_delete=models.PROTECT, related_name="referral", verbose_name=_("deltagande")
    )
    district = models.ForeignKey(
        "organisation.District", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("stadsdel")
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made", verbose_name=_("anvisad av")
    )
    referred_on = models.DateField(_("anvisningsdatum"))
    target_groups = models.ManyToManyField(TargetGroup, related_name="referrals", verbose_name=_("målgrupper"))
    basis = models.TextField(_("grund för anvisningen"))
    consent_given_on = models.DateField(_("samtycke lämnat"), null=True, blank=True)
    consent_scope = models.CharField(_("samtyckets omfattning"), max_length=500, blank=True)
    legal_ground = models.CharField(_("rättslig grund"), max_length=500, blank=True)
    # The three conditions of the "other groups" target group (DOMAIN §3).
    other_need_assessed = models.BooleanField(_("individuell bedömning visar behov"), default=False)
    other_af_no_measure = models.BooleanField(_("Arbetsförmedlingen kunde inte erbjuda lämplig insats"), default=False)
    other_assistance_decision = models.BooleanField(_("biståndsbeslut enligt socialtjänstlagen finns"), default=False)
    derived_unit = models.ForeignKey(
        "organisation.JobbtorgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("jobbtorg enligt upptagningsområde"),
    )
    unit_reason = models.TextField(_("skäl till annat jobbtorg"), blank=True)
    source = models.CharField(_("källa"), max_length=10, choices=Source.choices, default=Source.FORM)
    import_batch = models.ForeignKey(
        ReferralImport, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("import")
    )
    state = models.CharField(_("läge"), max_length=10, choices=State.choices, default=State.SUBMITTED)
    returned_on = models.DateField(_("återsänd"), null=True, blank=True)
    return_reason = models.TextField(_("skäl till återsändning"), blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("återsänd av")
    )
    withdrawn_on = models.DateField(_("återkallad"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("skäl till återkallelse"), blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("återkallad av"),
    )

    class Meta:
        verbose_name = _("anvisning")
        verbose_name_plural = _("anvisningar")
        ordering = ["-referred_on", "-id"]
        indexes = [
            # The district's lists: own referrals newest first, and returned ones.
            models.Index(fields=["district", "-referred_on"]),
            models.Index(fields=["district", "state"]),
        ]
        constraints = [
            # Consent (date and scope) or the legal ground: the city's auditors found consent seldom documented.
            models.CheckConstraint(
                condition=(Q(consent_given_on__isnull=False) & ~Q(consent_scope="")) | ~Q(legal_ground=""),
                name="referral_consent_or_legal_ground",
            ),
            models.CheckConstraint(condition=~Q(basis=""), name="referral_has_basis"),
        ]

    def __str__(self) -> str:
        return f"{self.participation_id} {self.referred_on}"

    @property
    def unit_overridden(self) -> bool:
        return self.derived_unit_id != self.participation.unit_id


class ImportJob(TimeStampedModel):
    """A CSV import running as a background task (referrals.tasks), with its progress and report.

    `content` is the uploaded file as text. It holds personnummer, so it is kept only
    while the job is queued or running and emptied the moment the job finishes, done
    or failed; the report (`errors`) names rows, never the numbers of others.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kö")
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Misslyckades")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uppladdad av")
    )
    district = models.ForeignKey("organisation.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("stadsdel"))
    filename = models.CharField(_("filnamn"), max_length=200, blank=True)
    client_address = models.GenericIPAddressField(_("klientadress"), null=True, blank=True)
    content = models.TextField(_("filens innehåll"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(_("antal rader"), default=0)
    rows_checked = models.PositiveIntegerField(_("kontrollerade rader"), default=0)
    rows_saved = models.PositiveIntegerField(_("sparade rader"), default=0)
    errors = models.JSONField(_("fel"), default=list, blank=True)
    batch = models.ForeignKey(
        ReferralImport, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("import")
    )
    task_id = models.CharField(_("uppgiftens id"), max_length=64, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("importjobb")
        verbose_name_plural = _("importjobb")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
