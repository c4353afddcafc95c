"""API routes of the access app (substitutes, emergency access), mounted under /api/v1/."""

from rest_framework.routers import SimpleRouter

from jobbtorg.access import api

router = SimpleRouter()
router.include_format_suffixes = False
api.register(router)
urlpatterns = router.urls
