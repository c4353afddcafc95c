"""Person search, the person page, and the timeline's forms under the person."""

from django.urls import include, path

from jobbtorg.people import views

app_name = "people"
urlpatterns = [
    path("sok/", views.search, name="search"),
    path("<int:person_id>/", views.detail, name="detail"),
    path("<int:person_id>/skyddsniva/", views.protection, name="protection"),
    path("<int:person_id>/tidslinje/", include("jobbtorg.timeline.urls")),
]
