"""Web pages of the subsidies app, mounted at /stod/."""

from django.urls import path

from jobbtorg.subsidies import views

app_name = "subsidies"
urlpatterns = [
    path("", views.index, name="index"),
    path("ny/<int:participation_id>/", views.new, name="new"),
    path("<int:case_id>/", views.detail, name="detail"),
    path("<int:case_id>/andra/", views.edit, name="edit"),
    path("<int:case_id>/beslut/", views.decision, name="decision"),
    path("<int:case_id>/utan-beslut/", views.close, name="close"),
    path("<int:case_id>/avbrott/", views.terminate, name="terminate"),
    path("<int:case_id>/avsluta/", views.end, name="end"),
    path("<int:case_id>/steg/<slug:kind>/", views.step, name="step"),
    path("lonebidrag/tavla/", views.board, name="board"),
    path("lonebidrag/tavla/lista/", views.board_list, name="board_list"),
    path("rapporter/", views.report, name="reports"),
    path("rapporter/arenden.xlsx", views.report_cases_xlsx, name="report_cases_xlsx"),
    path("rapporter/forsenade-steg.xlsx", views.report_overdue_xlsx, name="report_overdue_xlsx"),
]
