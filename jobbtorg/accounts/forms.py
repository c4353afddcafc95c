"""Login forms with throttling (docs/adr/0011): /login/ and the admin's login page.

During a lockout the password is not checked at all, so a correct one is refused as well,
and an unknown username is treated exactly like a known one.
"""

from typing import Any

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from jobbtorg.accounts import services
from jobbtorg.audit.services import client_address
from jobbtorg.core.forms import JobbtorgFormMixin


class ThrottledLoginMixin(JobbtorgFormMixin, AuthenticationForm):
    throttled = False  # set when the answer is "too many failed logins"

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data  # the field errors say what is missing; no password is checked
        attempt = services.start_login(username, client_address(self.request))
        if attempt.refused:
            raise self.throttled_error()
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            if services.login_failed(attempt):
                raise self.throttled_error()
            raise self.get_invalid_login_error()
        services.login_succeeded(attempt)
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def throttled_error(self) -> ValidationError:
        self.throttled = True
        minutes = settings.LOGIN_LOCKOUT_MINUTES
        message = ngettext(
            "För många misslyckade inloggningar. Försök igen om %(minutes)d minut.",
            "För många misslyckade inloggningar. Försök igen om %(minutes)d minuter.",
            minutes,
        )
        return ValidationError(message, code="throttled", params={"minutes": minutes})


class ThrottledAuthenticationForm(ThrottledLoginMixin):
    """The form of /login/."""


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The admin's own login page (/admin/login/) counts against the same limits."""
