"""Web pages of the plans app, mounted at /planer/."""

from django.urls import path

from jobbtorg.plans import views

app_name = "plans"
urlpatterns = [
    path("att-godkanna/", views.queue, name="queue"),
    path("deltagande/<int:participation_id>/", views.participation_plans, name="participation"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/aktiviteter/", views.activity_add, name="activity_add"),
    path("<int:pk>/aktiviteter/<int:activity_id>/ta-bort/", views.activity_remove, name="activity_remove"),
    path("<int:pk>/skicka/", views.submit, name="submit"),
    path("<int:pk>/ny-version/", views.revise, name="revise"),
    path("<int:pk>/beslut/", views.decide, name="decide"),
    path("<int:pk>/utskrift/", views.print_view, name="print"),
]
