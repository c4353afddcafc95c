"""URL map: the web UI at /, the API at /api/v1/, the admin at /admin/.

Each app owns its own urls (web) and api_urls (API) modules; this file only mounts them.
"""

from django.contrib import admin
from django.urls import include, path, re_path

from jobbtorg.core.api import api_not_found

DOMAIN_APPS = [
    "referrals", "participations", "assessments", "plans", "activities", "notifications", "disabilities", "subsidies", "osa",
    "access",
    "eligibility",
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("jobbtorg.api_urls")),
    *[path("api/v1/", include(f"jobbtorg.{app}.api_urls")) for app in DOMAIN_APPS],
    re_path(r"^api/v1/", api_not_found),  # unknown API paths: a JSON 404, not the HTML page
    path("i18n/", include("django.conf.urls.i18n")),
    path("personer/", include("jobbtorg.people.urls")),
    path("logg/", include("jobbtorg.audit.urls")),
    path("anvisningar/", include("jobbtorg.referrals.urls")),
    path("deltaganden/", include("jobbtorg.participations.urls")),
    path("kartlaggning/", include("jobbtorg.assessments.urls")),
    path("planer/", include("jobbtorg.plans.urls")),
    path("insatser/", include("jobbtorg.activities.urls")),
    path("notiser/", include("jobbtorg.notifications.urls")),
    path("funktionsnedsattning/", include("jobbtorg.disabilities.urls")),
    path("stod/", include("jobbtorg.eligibility.urls")),
    path("stod/", include("jobbtorg.subsidies.urls")),
    path("osa/", include("jobbtorg.osa.urls")),
    path("atkomst/", include("jobbtorg.access.urls")),
    path("", include("jobbtorg.web.urls")),
]
