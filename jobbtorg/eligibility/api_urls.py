"""API routes of the eligibility app, mounted under /api/v1/."""

from rest_framework.routers import SimpleRouter

from jobbtorg.eligibility import api

router = SimpleRouter()
router.include_format_suffixes = False
api.register(router)
urlpatterns = router.urls
