"""The in-app notifications page (/notiser/): what needs the user's attention now."""

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from jobbtorg.accounts.models import User
from jobbtorg.notifications import selectors


@login_required
@never_cache
def index(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    today = timezone.localdate()
    items = selectors.notices(user, today)
    context = {
        "notices": items,
        "today": today,
        "enabled": selectors.has_notifications(user),
        "overdue_total": sum(n.overdue for n in items),
    }
    return render(request, "notifications/index.html", context)
