"""Web pages of the participations app, mounted at /deltaganden/."""

from django.urls import path

from jobbtorg.participations import views

app_name = "participations"
urlpatterns = [
    path("fordelning/", views.assignments, name="assignments"),
    path("utan-coach/", views.unassigned, name="unassigned"),
    path("kalender/", views.calendar, name="calendar"),
    path("besok/<int:appointment_id>/", views.visit, name="visit"),
    path("<int:participation_id>/", views.detail, name="detail"),
    path("<int:participation_id>/ta/", views.take, name="take"),
    path("<int:participation_id>/coach/", views.assign, name="assign"),
    path("<int:participation_id>/besok/", views.book, name="book"),
    path("<int:participation_id>/ankomst/", views.arrive, name="arrive"),
    path("<int:participation_id>/arbetsformedlingen/", views.af_registration, name="af_registration"),
    path("<int:participation_id>/information/", views.information, name="information"),
    path("<int:participation_id>/jobbgaranti/", views.job_guarantee, name="job_guarantee"),
    path("<int:participation_id>/avbrott/", views.interrupt, name="interrupt"),
    path("<int:participation_id>/nystart/", views.restart, name="restart"),
    path("<int:participation_id>/avslut/", views.close, name="close"),
    path("uppfoljning/<int:followup_id>/", views.followup, name="followup"),
]
