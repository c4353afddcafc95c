"""Admin for the offer catalogue (DOMAIN §5). Activities themselves are not here:
they belong to a participation and so to a person, reached only through access rules.
"""

from django.contrib import admin

from jobbtorg.accounts.admin import SysadminOnlyAdmin
from jobbtorg.activities.models import CatalogueItem


@admin.register(CatalogueItem)
class CatalogueItemAdmin(SysadminOnlyAdmin, admin.ModelAdmin):
    list_display = ("name", "category", "default_length_days", "capacity", "active")
    list_filter = ("active", "category", "providers")
    search_fields = ("name", "category")
    filter_horizontal = ("providers",)
