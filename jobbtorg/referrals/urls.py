"""Web pages of the referrals app, mounted at /anvisningar/."""

from django.urls import path

from jobbtorg.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("ny/", views.referral_create, name="create"),
    path("ny/person/", views.person_lookup, name="person_lookup"),
    path("ny/coacher/", views.coach_options, name="coach_options"),
    path("import/", views.referral_import, name="import"),
    path("import/<int:job_id>/", views.import_job, name="import_job"),
    path("<int:referral_id>/atersand/", views.referral_return, name="return"),
    path("<int:referral_id>/komplettera/", views.referral_resubmit, name="resubmit"),
    path("<int:referral_id>/aterkalla/", views.referral_withdraw, name="withdraw"),
]
