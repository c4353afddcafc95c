"""Log review pages (LEGAL.md: log review). Each list has a CSV twin at <list>/csv/
taking the same filters (the URL's query string)."""

from django.urls import path

from jobbtorg.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.index, name="index"),
    path("person/", views.person_log_search, name="person_log_search"),
    path("person/<int:person_id>/", views.person_log, name="person_log"),
    path("person/<int:person_id>/csv/", views.person_log, {"as_csv": True}, name="person_log_csv"),
    path("anvandare/", views.user_log, name="user_log"),
    path("anvandare/csv/", views.user_log, {"as_csv": True}, name="user_log_csv"),
    path("ovanliga/", views.unusual, name="unusual"),
    path("ovanliga/csv/", views.unusual, {"as_csv": True}, name="unusual_csv"),
    path("behorigheter/", views.admin_changes, name="admin_changes"),
    path("behorigheter/csv/", views.admin_changes, {"as_csv": True}, name="admin_changes_csv"),
]
