"""Substitutes and emergency access (issue 8 item 6), mounted at /atkomst/."""

from django.urls import path

from jobbtorg.access import views

app_name = "access"
urlpatterns = [
    path("vikarier/", views.substitutions, name="substitutions"),
    path("vikarier/<int:substitution_id>/aterkalla/", views.revoke_substitution, name="revoke_substitution"),
    path("nodatkomst/", views.emergency, name="emergency"),
    path("nodatkomster/", views.emergency_review, name="emergency_review"),
    path("nodatkomster/<int:access_id>/signera/", views.sign_emergency_access, name="sign_emergency_access"),
]
