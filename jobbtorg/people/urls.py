"""Person search and the person page."""

from django.urls import path

from jobbtorg.people import views

app_name = "people"
urlpatterns = [
    path("sok/", views.search, name="search"),
    path("<int:person_id>/", views.detail, name="detail"),
]
