"""Web pages of the activities app, mounted at /insatser/."""

from django.urls import path

from jobbtorg.activities import views

app_name = "activities"
urlpatterns = [
    path("deltagande/<int:participation_id>/ny/", views.create, name="create"),
    path("deltagande/<int:participation_id>/narvaro/", views.attendance_summary, name="attendance_summary"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/andra/", views.edit, name="edit"),
    path("<int:pk>/uppfoljning/", views.followup, name="followup"),
    path("<int:pk>/tillfallen/", views.plan_sessions, name="plan_sessions"),
    path("<int:pk>/narvaro/", views.register_day, name="register_day"),
    path("tillfallen/", views.sessions, name="sessions"),
    path("tillfallen/nytt/", views.group_session_create, name="group_session_create"),
    path("tillfallen/<int:pk>/", views.session, name="session"),
    path("narvaro/ej-registrerad/", views.missing, name="missing"),
    path("avvikelser/", views.deviations, name="deviations"),
    path("avvikelser/<int:pk>/kvittera/", views.deviation_acknowledge, name="deviation_acknowledge"),
]
