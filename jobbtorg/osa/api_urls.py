"""API routes of the osa app, mounted under /api/v1/."""

from rest_framework.routers import SimpleRouter

from jobbtorg.osa import api

router = SimpleRouter()
router.include_format_suffixes = False
api.register(router)
urlpatterns = router.urls
