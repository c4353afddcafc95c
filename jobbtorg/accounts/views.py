"""The login page: Django's LoginView with the throttled form (docs/adr/0011)."""

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse

from jobbtorg.accounts.forms import ThrottledAuthenticationForm


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if getattr(form, "throttled", False):
            response.status_code = 429  # Too Many Requests; the page still shows the message
        return response
