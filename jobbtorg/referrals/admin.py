"""Admin for the target groups (DOMAIN §3): data, not code. Referrals themselves hold
personal data and are changed only through referrals.services, so they are not here."""

from django.contrib import admin

from jobbtorg.accounts.admin import SysadminOnlyAdmin
from jobbtorg.referrals.models import TargetGroup


@admin.register(TargetGroup)
class TargetGroupAdmin(SysadminOnlyAdmin, admin.ModelAdmin):
    list_display = ("name", "code", "needs_conditions", "is_job_guarantee", "needs_consent", "sort_order", "active")
    list_filter = ("active", "needs_conditions", "is_job_guarantee")
    search_fields = ("name", "code")
    ordering = ("sort_order", "name")

    def has_delete_permission(self, request, obj=None):
        # Referrals keep their groups; retire a group by unticking "aktiv" instead.
        return False
