"""The REST API under /api/v1/: one router, each app registers its viewsets here.

/api/v1/schema/ is the OpenAPI 3 schema, /api/v1/docs/ a Swagger UI served from our
own static files (drf-spectacular-sidecar), so it works under the CSP.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from jobbtorg.accounts.api import MeView
from jobbtorg.core.api import ApiDocsView, ApiRootView
from jobbtorg.organisation import api as organisation_api
from jobbtorg.people import api as people_api

router = DefaultRouter()
router.include_format_suffixes = False
router.APIRootView = ApiRootView
organisation_api.register(router)
people_api.register(router)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("me/", MeView.as_view(), name="api-me"),
    *router.urls,
]
