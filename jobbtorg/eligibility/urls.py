"""Web pages of the eligibility app, mounted at /stod/ next to the subsidy cases."""

from django.urls import path

from jobbtorg.eligibility import views

app_name = "eligibility"
urlpatterns = [
    path("person/<int:person_id>/kvalificering/", views.person, name="person"),
]
