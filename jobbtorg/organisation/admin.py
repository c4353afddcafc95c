"""Admin for the organisation (DOMAIN §2): districts, Jobbtorg units and their dated
service areas, Arbetsförmedlingen units, providers, employers with contacts.

Only the system administrator gets in (accounts.admin.SysadminOnlyAdmin).
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from jobbtorg.accounts.admin import SysadminOnlyAdmin
from jobbtorg.organisation.models import (
    AFUnit,
    District,
    Employer,
    EmployerContact,
    JobbtorgUnit,
    Provider,
    ServiceArea,
    overlap_message,
    periods_overlap,
)


class ServiceAreaForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The form set checks overlaps with every row's new dates (ServiceAreaFormSet.clean).
        self.instance.overlap_checked_elsewhere = True


class ServiceAreaFormSet(BaseInlineFormSet):
    """Refuses overlapping periods for one district, taking the rows as they will be saved.

    Rows edited in this form set count with their new dates and rows marked for
    deletion not at all, so "end the old period, start the new one" is one save.
    Rows of the same district outside the form set (other units) come from the database.
    """

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        rows: list[tuple[forms.BaseForm, ServiceArea]] = []
        in_formset: set[int] = set()
        for form in self.forms:
            if form.instance.pk:
                in_formset.add(form.instance.pk)
            if not getattr(form, "cleaned_data", None) or (self.can_delete and form.cleaned_data.get(DELETION_FIELD_NAME)):
                continue
            if not form.instance.valid_from:
                continue
            rows.append((form, form.instance))

        districts = {area.district_id for _, area in rows if area.district_id}
        stored = list(
            ServiceArea.objects.filter(district_id__in=districts).exclude(pk__in=in_formset).select_related("unit", "district")
        )
        for i, (row_form, area) in enumerate(rows):
            others = [other for _, other in rows[:i]] + stored
            for other in others:
                same_district = area.district_id == other.district_id
                if same_district and periods_overlap(area.valid_from, area.valid_to, other.valid_from, other.valid_to):
                    row_form.add_error(None, overlap_message(other))
                    break


class ServiceAreaInline(SysadminOnlyAdmin, admin.TabularInline):
    model = ServiceArea
    form = ServiceAreaForm
    formset = ServiceAreaFormSet
    extra = 0
    ordering = ("valid_from",)


class DistrictServiceAreaInline(ServiceAreaInline):
    fields = ("unit", "valid_from", "valid_to")
    verbose_name = _("betjänas av jobbtorg")
    verbose_name_plural = _("betjänas av jobbtorg (upptagningsområden)")


class UnitServiceAreaInline(ServiceAreaInline):
    fields = ("district", "valid_from", "valid_to")
    verbose_name = _("betjänar stadsdel")
    verbose_name_plural = _("betjänar stadsdelar (upptagningsområden)")

    def get_queryset(self, request: Any) -> Any:
        return super().get_queryset(request).select_related("district")


@admin.register(District)
class DistrictAdmin(SysadminOnlyAdmin, admin.ModelAdmin):
    list_display = ("name", "code", "kind", "population", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
    inlines = [DistrictServiceAreaInline]


@admin.register(JobbtorgUnit)
class JobbtorgUnitAdmin(SysadminOnlyAdmin, admin.ModelAdmin):
    list_display = ("name", "code", "location", "specialisation", "valid_from", "valid_to")
    search_fields = ("name", "code", "location")
    prepopulated_fields = {"code": ("name",)}
    inlines = [UnitServiceAreaInline]


@admin.register(AFUnit)
class AFUnitAdmin(SysadminOnlyAdmin, admin.ModelAdmin):
    list_display = ("name", "code", "areas")
    search_fields = ("name", "areas")
    prepopulated_fields = {"code": ("name",)}


@admin.register(Provider)
class ProviderAdmin(SysadminOnlyAdmin, admin.ModelAdmin):
    list_display = ("name", "kind", "org_number", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "org_number")


class EmployerContactInline(SysadminOnlyAdmin, admin.TabularInline):
    model = EmployerContact
    fields = ("name", "title", "email", "phone", "is_supervisor")
    extra = 1


@admin.register(Employer)
class EmployerAdmin(SysadminOnlyAdmin, admin.ModelAdmin):
    list_display = ("name", "kind", "org_number")
    list_filter = ("kind",)
    search_fields = ("name", "org_number", "contacts__name")
    inlines = [EmployerContactInline]
