"""API routes of the activities app, mounted under /api/v1/ (see activities.api)."""

from rest_framework.routers import SimpleRouter

from jobbtorg.activities import api

router = SimpleRouter()
api.register(router)
urlpatterns = router.urls
