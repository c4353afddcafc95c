"""Web pages of the notifications app, mounted at /notiser/."""

from django.urls import path

from jobbtorg.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.index, name="index"),
]
