"""Web pages of the osa app, mounted at /osa/."""

from django.urls import path

from jobbtorg.osa import views

app_name = "osa"
urlpatterns = [
    path("", views.index, name="index"),
    path("ny/<int:person_id>/", views.new, name="new"),
    path("arsplatser/", views.places, name="places"),
    path("arsplatser/excel/", views.places_excel, name="places_excel"),
    path("<int:case_id>/", views.detail, name="detail"),
    path("<int:case_id>/forlangning/", views.extend, name="extend"),
    path("<int:case_id>/provning/", views.review, name="review"),
    path("<int:case_id>/plan/", views.plan, name="plan"),
    path("<int:case_id>/mote/", views.meeting, name="meeting"),
    path("<int:case_id>/overgang/", views.transition, name="transition"),
    path("<int:case_id>/overflyttning/", views.transfer, name="transfer"),
    path("<int:case_id>/avsluta/", views.end, name="end"),
]
