"""Admin for users (DOMAIN §1), and the rule that only the system administrator uses the admin.

The admin is for organisation data, catalogues and users. Only a user with the
role system administrator (systemförvaltare) and `is_staff` gets in; every
other member of staff, superuser flag or not, works through the application,
where need-based access and the audit log apply. Persons are never registered
here.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbtorg.accounts.audit import acting
from jobbtorg.accounts.forms import ThrottledAdminAuthenticationForm
from jobbtorg.accounts.models import ApiToken, Role, User
from jobbtorg.accounts.services import revoke_token
from jobbtorg.audit.services import Actor

admin.site.site_header = _("Jobbtorg – systemförvaltning")
admin.site.site_title = _("Jobbtorg systemförvaltning")
admin.site.index_title = _("Organisation, utbud och användare")
# /admin/login/ counts failed logins against the same limits as /login/ (docs/adr/0011).
admin.site.login_form = ThrottledAdminAuthenticationForm


def is_sysadmin(user: Any) -> bool:
    return bool(
        getattr(user, "is_active", False) and getattr(user, "is_staff", False) and getattr(user, "role", None) == Role.SYSADMIN
    )


class SysadminOnlyAdmin:
    """ModelAdmin and inline mixin: every permission follows the role, not Django's
    permission table (a system administrator needs no per-model permissions)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_sysadmin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_sysadmin(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_sysadmin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_sysadmin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_sysadmin(request.user)


class AuditedAdmin(admin.ModelAdmin):
    """Every save, delete and bulk action in this admin is attributed to the signed-in
    administrator in the audit log (accounts.audit writes the entries where the change is saved)."""

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with acting(Actor.from_request(request)):
            return super().changeform_view(request, *args, **kwargs)

    def changelist_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with acting(Actor.from_request(request)):
            return super().changelist_view(request, *args, **kwargs)

    def delete_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with acting(Actor.from_request(request)):
            return super().delete_view(request, *args, **kwargs)


# Which unit field a role needs (User docstring); the others stay empty.
UNIT_FIELD_FOR_ROLE = {
    Role.COACH: "jobbtorg_unit",
    Role.MATCHER: "jobbtorg_unit",
    Role.UNIT_MANAGER: "jobbtorg_unit",
    Role.SOCIAL_WORKER: "district",
    Role.OSA_OFFICER: "district",
    Role.PROVIDER_STAFF: "provider",
}
UNIT_FIELDS = ("jobbtorg_unit", "district", "provider")
UNIT_REQUIRED_MESSAGES = {
    "jobbtorg_unit": _("Välj det jobbtorg som användaren arbetar på."),
    "district": _("Välj den stadsdel som användaren arbetar i."),
    "provider": _("Välj den anordnare som användaren arbetar hos."),
}


def role_unit_errors(role: str | None, values: dict[str, Any]) -> dict[str, str]:
    """Field errors when the unit fields do not fit the role (access depends on them)."""
    errors: dict[str, str] = {}
    needed = UNIT_FIELD_FOR_ROLE.get(role) if role else None  # type: ignore[call-overload]
    for field in UNIT_FIELDS:
        if field == needed and not values.get(field):
            errors[field] = str(UNIT_REQUIRED_MESSAGES[field])
        elif field != needed and values.get(field) and role in UNIT_FIELD_FOR_ROLE:
            errors[field] = str(_("Lämna fältet tomt: rollen hör inte till den här sortens enhet."))
    return errors


class RoleUnitFormMixin(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for field, message in role_unit_errors(cleaned.get("role"), cleaned).items():
            if field in self.fields:
                self.add_error(field, message)
        if cleaned.get("role") == Role.SYSADMIN and not cleaned.get("is_staff", True):
            self.add_error("is_staff", _("En systemförvaltare måste ha tillgång till administrationen."))
        return cleaned


class JobbtorgUserChangeForm(RoleUnitFormMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


class JobbtorgUserCreationForm(RoleUnitFormMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name", "email", "role", *UNIT_FIELDS)

    def save(self, commit: bool = True) -> User:
        # A new system administrator can use the admin at once.
        if self.instance.role == Role.SYSADMIN:
            self.instance.is_staff = True
        return super().save(commit=commit)


@admin.register(User)
class JobbtorgUserAdmin(SysadminOnlyAdmin, AuditedAdmin, UserAdmin):
    """Users. Creating one, changing role, unit, activity or rights, and setting a password are
    written to the audit log with old and new values (accounts.audit), attributed to the
    administrator through AuditedAdmin."""

    form = JobbtorgUserChangeForm
    add_form = JobbtorgUserCreationForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Namn och kontakt"), {"fields": ("first_name", "last_name", "email")}),
        (
            _("Roll och enhet"),
            {
                "fields": ("role", "jobbtorg_unit", "district", "provider"),
                "description": _(
                    "Coach, matchare och enhetschef hör till ett jobbtorg; socialsekreterare och "
                    "OSA-handläggare till en stadsdel; anordnare till en anordnare."
                ),
            },
        ),
        (
            _("Behörighet"),
            {"fields": ("is_active", "is_staff", "is_superuser", "is_data_protection_officer", "groups")},
        ),
        (_("Viktiga datum"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        (_("Namn och kontakt"), {"fields": ("first_name", "last_name", "email")}),
        (_("Roll och enhet"), {"fields": ("role", "jobbtorg_unit", "district", "provider")}),
    )
    list_display = ("username", "first_name", "last_name", "role", "jobbtorg_unit", "district", "provider", "is_active")
    list_filter = ("role", "is_active", "is_data_protection_officer", "jobbtorg_unit", "district")
    list_select_related = ("jobbtorg_unit", "district", "provider")
    search_fields = ("username", "first_name", "last_name", "email")
    filter_horizontal = ("groups",)
    readonly_fields = ("last_login", "date_joined")

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        with acting(Actor.from_request(request)):
            return super().user_change_password(request, id, form_url)


@admin.register(ApiToken)
class ApiTokenAdmin(SysadminOnlyAdmin, admin.ModelAdmin):
    """Tokens are issued with `manage.py create_api_token` (the key is shown once, there).
    Here they can be seen and revoked; a revocation is audited like one from the command."""

    list_display = ("prefix_shown", "user", "created", "expires", "last_used", "is_valid")
    list_select_related = ("user",)
    search_fields = ("user__username", "prefix")
    fields = ("user", "prefix_shown", "created", "expires", "last_used")
    readonly_fields = fields

    @admin.display(description=_("början av nyckeln"), ordering="prefix")
    def prefix_shown(self, token: ApiToken) -> str:
        return f"{token.prefix}…"

    @admin.display(description=_("giltig"), boolean=True)
    def is_valid(self, token: ApiToken) -> bool:
        return token.expires > timezone.now()

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: ApiToken) -> None:
        revoke_token(obj, Actor.from_request(request))

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for token in queryset.select_related("user"):
            revoke_token(token, Actor.from_request(request))
