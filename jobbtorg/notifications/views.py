"""The in-app notifications page (/notiser/): what needs the user's attention now."""


from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from jobbtorg.accounts.http import AuthenticatedHttpRequest
from jobbtorg.core.capabilities import requires
from jobbtorg.notifications import selectors
from jobbtorg.notifications.models import Message

MESSAGES_SHOWN = 20


@login_required
@requires("notifications.read")
@never_cache
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    items = selectors.notices(user, today)
    context = {
        "notices": items,
        "today": today,
        "enabled": selectors.has_notifications(user),
        "overdue_total": sum(n.overdue for n in items),
        # One-off messages (a lowered protection level), for every role, newest first.
        "messages_list": list(Message.objects.filter(user=user)[:MESSAGES_SHOWN]),
    }
    return render(request, "notifications/index.html", context)
