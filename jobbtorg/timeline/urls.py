"""Timeline pages, mounted under the person: /personer/<person_id>/tidslinje/… (people.urls)."""

from django.urls import path

from jobbtorg.timeline import views

urlpatterns = [
    path("anteckning/", views.add_note, name="timeline_note"),
    path("<int:entry_id>/rattelse/", views.correct, name="timeline_correct"),
    path("<int:entry_id>/invandning/", views.object_to, name="timeline_objection"),
]
