"""Web pages of the osa app."""

from django.urls import path  # noqa: F401

app_name = "osa"
urlpatterns: list = []
