"""Web pages of the disabilities app."""

from django.urls import path  # noqa: F401

app_name = "disabilities"
urlpatterns: list = []
