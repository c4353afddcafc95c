"""API routes of the disabilities app, mounted under /api/v1/."""

from rest_framework.routers import SimpleRouter

from jobbtorg.disabilities import api

router = SimpleRouter()
router.include_format_suffixes = False
api.register(router)
urlpatterns = router.urls
