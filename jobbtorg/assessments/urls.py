"""Web pages of the assessments app, mounted at /kartlaggning/."""

from django.urls import path

from jobbtorg.assessments import views

app_name = "assessments"
urlpatterns = [
    path("yrken/", views.occupation_options, name="occupations"),
    path("deltagande/<int:participation_id>/", views.participation_assessment, name="participation"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/avsnitt/<slug:key>/", views.section, name="section"),
    path("<int:pk>/arbetslivserfarenhet/", views.work_add, name="work_add"),
    path("<int:pk>/arbetslivserfarenhet/<int:row_id>/ta-bort/", views.work_remove, name="work_remove"),
    path("<int:pk>/slutfor/", views.complete, name="complete"),
]
