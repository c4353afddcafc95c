"""URL map: the web UI at /, the API at /api/v1/, the admin at /admin/."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("jobbtorg.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("jobbtorg.web.urls")),
]
