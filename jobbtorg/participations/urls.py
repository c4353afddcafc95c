"""Web pages of the participations app."""

from django.urls import path  # noqa: F401

app_name = "participations"
urlpatterns: list = []
