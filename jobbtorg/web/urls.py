from django.contrib.auth import views as auth_views
from django.urls import path

from jobbtorg.accounts.views import LoginView
from jobbtorg.web import views

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),  # throttled (docs/adr/0011)
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.start, name="start"),
]
