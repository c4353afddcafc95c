"""API routes of the subsidies app, mounted under /api/v1/."""

from rest_framework.routers import SimpleRouter

from jobbtorg.subsidies import api

router = SimpleRouter()
router.include_format_suffixes = False
api.register(router)
urlpatterns = router.urls
