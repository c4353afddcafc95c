"""Web pages of the disabilities app, mounted at /funktionsnedsattning/."""

from django.urls import path

from jobbtorg.disabilities import views

app_name = "disabilities"
urlpatterns = [
    path("person/<int:person_id>/", views.person, name="person"),
    path("<int:registration_id>/andra/", views.change, name="change"),
]
