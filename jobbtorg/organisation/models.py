"""The city's organisation (DOMAIN §2): districts, Jobbtorg units and which
districts they serve (dated), Arbetsförmedlingen units, providers, employers.

All of it is data, loaded by a data migration and edited in the admin.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class District(models.Model):
    """Stadsdelsförvaltning, or a unit that acts like one (Enheten för hemlösa)."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("Stadsdelsförvaltning")
        HOMELESS_UNIT = "homeless_unit", _("Enhet som verkar som stadsdel")

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.DISTRICT)
    population = models.PositiveIntegerField(_("folkmängd"), default=0, help_text=_("Används för demodata."))
    valid_from = models.DateField(_("giltig från"), default=datetime.date(2000, 1, 1))
    valid_to = models.DateField(_("giltig till"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("stadsdel")
        verbose_name_plural = _("stadsdelar")

    def __str__(self) -> str:
        return self.name


class JobbtorgUnit(models.Model):
    """A Jobbtorg unit (e.g. Jobbtorg Järva); may be specialised (Jobbtorg för unga)."""

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    location = models.CharField(_("ort"), max_length=100, blank=True)
    specialisation = models.CharField(_("inriktning"), max_length=200, blank=True)
    valid_from = models.DateField(_("giltig från"), default=datetime.date(2007, 1, 1))
    valid_to = models.DateField(_("giltig till"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("jobbtorg")
        verbose_name_plural = _("jobbtorg")

    def __str__(self) -> str:
        return self.name


class ServiceAreaQuerySet(models.QuerySet["ServiceArea"]):
    def valid_on(self, day: datetime.date) -> "ServiceAreaQuerySet":
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def overlapping(self, valid_from: datetime.date, valid_to: datetime.date | None) -> "ServiceAreaQuerySet":
        """Rows whose period shares at least one day with [valid_from, valid_to] (None: open-ended)."""
        rows = self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        return rows if valid_to is None else rows.filter(valid_from__lte=valid_to)


def periods_overlap(a_from: datetime.date, a_to: datetime.date | None, b_from: datetime.date, b_to: datetime.date | None) -> bool:
    """Do two inclusive date periods share a day? An open end (None) runs for ever."""
    return (b_to is None or a_from <= b_to) and (a_to is None or b_from <= a_to)


class ServiceArea(models.Model):
    """Which Jobbtorg unit serves a district, from when to when (upptagningsområde)."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="service_areas", verbose_name=_("stadsdel"))
    unit = models.ForeignKey(JobbtorgUnit, on_delete=models.PROTECT, related_name="service_areas", verbose_name=_("jobbtorg"))
    valid_from = models.DateField(_("giltig från"))
    valid_to = models.DateField(_("giltig till"), null=True, blank=True)

    objects = ServiceAreaQuerySet.as_manager()

    class Meta:
        ordering = ["district__name", "valid_from"]
        indexes = [models.Index(fields=["district", "valid_from"])]
        verbose_name = _("upptagningsområde")
        verbose_name_plural = _("upptagningsområden")

    def __str__(self) -> str:
        return f"{self.district} → {self.unit} ({self.valid_from}–{self.valid_to or ''})"

    # Set by a form set that checks all of its rows together (organisation.admin), so
    # that ending one period and starting the next in the same save is not refused
    # against the row's old dates still in the database.
    overlap_checked_elsewhere = False

    def clean(self) -> None:
        """One district is served by at most one Jobbtorg unit on any day."""
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(
                {"valid_to": _("Ange ett slutdatum som är samma som eller efter startdatumet.")}, code="invalid_period"
            )
        if self.overlap_checked_elsewhere or not self.district_id or not self.valid_from:
            return
        clash = (
            ServiceArea.objects.filter(district_id=self.district_id)
            .exclude(pk=self.pk)
            .overlapping(self.valid_from, self.valid_to)
            .select_related("unit")
            .first()
        )
        if clash is not None:
            raise ValidationError(overlap_message(clash), code="overlap")


def overlap_message(clash: "ServiceArea") -> str:
    return str(
        _("Perioden överlappar %(unit)s för samma stadsdel (%(start)s–%(end)s). Avsluta den perioden först.")
        % {"unit": clash.unit, "start": clash.valid_from, "end": clash.valid_to or _("tills vidare")}
    )


class AFUnit(models.Model):
    """An Arbetsförmedlingen unit serving the city."""

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    areas = models.CharField(_("område"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Arbetsförmedlingens enhet")
        verbose_name_plural = _("Arbetsförmedlingens enheter")

    def __str__(self) -> str:
        return self.name


class Provider(models.Model):
    """Anordnare: procured company, non-profit (idéburen) or the city's own unit (egen regi)."""

    class Kind(models.TextChoices):
        PROCURED = "procured", _("Upphandlad")
        NONPROFIT = "nonprofit", _("Idéburen")
        IN_HOUSE = "in_house", _("Egen regi")

    name = models.CharField(_("namn"), max_length=150, unique=True)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    org_number = models.CharField(_("organisationsnummer"), max_length=11, blank=True)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("anordnare")
        verbose_name_plural = _("anordnare")

    def __str__(self) -> str:
        return self.name


class Employer(models.Model):
    """An employer the Jobbtorg works with; the city's own administrations included."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Företag")
        STAFFING_AGENCY = "staffing_agency", _("Bemanningsföretag")
        CITY_ADMINISTRATION = "city_administration", _("Stadens förvaltning")
        MUNICIPAL_COMPANY = "municipal_company", _("Kommunalt bolag")
        PROCURED_OPERATION = "procured_operation", _("Upphandlad verksamhet")
        NONPROFIT = "nonprofit", _("Ideell organisation")

    name = models.CharField(_("namn"), max_length=150)
    kind = models.CharField(_("typ"), max_length=30, choices=Kind.choices)
    org_number = models.CharField(_("organisationsnummer"), max_length=11, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]
        verbose_name = _("arbetsgivare")
        verbose_name_plural = _("arbetsgivare")

    def __str__(self) -> str:
        return self.name


class EmployerContact(models.Model):
    """A contact person at an employer; supervisors (handledare) are marked."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("arbetsgivare"))
    name = models.CharField(_("namn"), max_length=150)
    title = models.CharField(_("befattning"), max_length=100, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    is_supervisor = models.BooleanField(_("handledare"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")

    def __str__(self) -> str:
        return f"{self.name} ({self.employer})"
