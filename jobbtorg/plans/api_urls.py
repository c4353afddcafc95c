"""API routes of the plans app, mounted under /api/v1/."""

from rest_framework.routers import SimpleRouter

from jobbtorg.plans.api import PlanViewSet

router = SimpleRouter()
router.register("plans", PlanViewSet, basename="plan")
urlpatterns = router.urls
