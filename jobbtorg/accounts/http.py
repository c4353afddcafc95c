"""Request type for views behind `login_required`."""

from django.http import HttpRequest

from jobbtorg.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """An `HttpRequest` whose user is signed in: annotate views behind `login_required` with it.

    Only a type: Django never builds one. `login_required` sends anonymous visitors to the
    login page before the view runs, so inside the view `request.user` is always our `User`,
    never `AnonymousUser` (the way django-stubs recommends typing that guarantee).
    """

    user: User
