"""Web pages of the subsidies app."""

from django.urls import path  # noqa: F401

app_name = "subsidies"
urlpatterns: list = []
