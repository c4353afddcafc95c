"""API routes of the assessments app, mounted under /api/v1/."""

from rest_framework.routers import SimpleRouter

from jobbtorg.assessments.api import AssessmentViewSet, OccupationViewSet

router = SimpleRouter()
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("occupations", OccupationViewSet, basename="occupation")
urlpatterns = router.urls
