"""One process of the shared-limit test (test_shared_cache.py): run as a script, not collected.

    python -m jobbtorg.core.tests.shared_limit_probe api <username> <requests>
    python -m jobbtorg.core.tests.shared_limit_probe login <username> <attempts>

Sends the requests through Django's test client inside this process (its own interpreter, its
own local-memory caches, the database named by DATABASE_URL) and prints the status codes.
"""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobbtorg.settings")
django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from jobbtorg.accounts.models import Role, User  # noqa: E402

PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@override_settings(STORAGES=PLAIN_STATIC)  # no collectstatic manifest here
def main(mode: str, username: str, count: int) -> list[int]:
    if mode == "api":
        user, _ = User.objects.get_or_create(username=username, defaults={"role": Role.ANALYST})
        api = APIClient()
        api.force_authenticate(user)
        return [api.get("/api/v1/me/").status_code for _ in range(count)]
    web = Client(REMOTE_ADDR="10.9.9.9")
    return [web.post("/login/", {"username": username, "password": "fel-lösenord-123"}).status_code for _ in range(count)]


if __name__ == "__main__":
    print(" ".join(str(code) for code in main(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
