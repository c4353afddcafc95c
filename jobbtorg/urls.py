"""URL map: the web UI at /, the API at /api/v1/, the admin at /admin/.

Each app owns its own urls module; this file only mounts them.
"""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("jobbtorg.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("personer/", include("jobbtorg.people.urls")),
    path("logg/", include("jobbtorg.audit.urls")),
    path("", include("jobbtorg.web.urls")),
]
