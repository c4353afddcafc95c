"""Referral pages (issue 3 part 1): the form, the look-up, the CSV import with its report."""


import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jobbtorg.participations.models import Participation
from jobbtorg.participations.tests.fixtures import login
from jobbtorg.referrals.csv_import import COLUMNS
from jobbtorg.referrals.models import Referral
from jobbtorg.referrals.tests.helpers import bad_checksum, new_number
from jobbtorg.testing import factories as f
from jobbtorg.testing.dates import visit_slot

pytestmark = pytest.mark.django_db


def form_data(coach, **overrides):
    today = timezone.localdate()
    at = visit_slot(2).strftime("%Y-%m-%dT%H:%M")
    data = {
        "personnummer": new_number(),
        "first_name": "Fatima",
        "last_name": "Yilmaz",
        "target_groups": ["fs-arbetsloshet"],
        "basis": "Arbetslös sedan januari.",
        "consent_given_on": today.isoformat(),
        "consent_scope": "Planering och närvaro",
        "referred_on": today.isoformat(),
        "appointment_at": at,
        "appointment_place": "Jobbtorg Järva",
        "appointment_coach": coach.pk,
    }
    data.update(overrides)
    return data


def test_referral_form_creates_and_opens_the_participation(client, social_worker, coach):
    login(client, social_worker)
    assert client.get(reverse("referrals:create")).status_code == 200
    response = client.post(reverse("referrals:create"), form_data(coach))
    p = Participation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("participations:detail", args=[p.pk])
    # The social worker reaches the page through the home district.
    assert client.get(response["Location"]).status_code == 200


def test_referral_form_refuses_other_groups_without_conditions(client, social_worker, coach):
    login(client, social_worker)
    response = client.post(reverse("referrals:create"), form_data(coach, target_groups=["ovriga"], other_need_assessed="on"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "alla tre villkor" in html and "Rätta felen nedan" in html
    assert not Participation.objects.exists()


def test_referral_pages_are_for_social_workers(client, coach):
    login(client, coach)
    for name in ("referrals:create", "referrals:list", "referrals:import"):
        assert client.get(reverse(name)).status_code == 403


def test_person_lookup_finds_only_people_in_the_district(client, social_worker):
    resident = f.PersonFactory(first_name="Johan", last_name="Rinkebybo")
    elsewhere = f.PersonFactory(home_district=f.district("bromma"), last_name="Brommabo")
    login(client, social_worker)
    url = reverse("referrals:person_lookup")
    assert "Rinkebybo" in client.get(url, {"personnummer": resident.personnummer}).content.decode()
    html = client.get(url, {"personnummer": elsewhere.personnummer}).content.decode()
    assert "Brommabo" not in html and "Hittar ingen person" in html
    assert "Kontrollsiffran" in client.get(url, {"personnummer": bad_checksum(resident.personnummer)}).content.decode()


def test_coach_options_follow_the_receiving_unit(client, social_worker):
    coach = f.UserFactory(coach=True, last_name="Järvacoach")
    sydost = f.UserFactory(coach=True, jobbtorg_unit=f.unit("sydost"), last_name="Sydostcoach")
    login(client, social_worker)
    html = client.get(reverse("referrals:coach_options"), {"unit": f.unit("sydost").pk}).content.decode()
    assert "Sydostcoach" in html and coach.last_name not in html
    html = client.get(reverse("referrals:coach_options"), {"referred_on": timezone.localdate().isoformat()}).content.decode()
    assert coach.last_name in html and sydost.last_name not in html


def csv_file(*rows):
    body = "\n".join([";".join(COLUMNS), *rows]) + "\n"
    return SimpleUploadedFile("anvisningar.csv", ("\ufeff" + body).encode(), content_type="text/csv")


def csv_row(number, today):
    return ";".join([number, "Ali", "Ahmed", "fs-arbetsloshet", "Arbetslös", today.isoformat(), "Planering", "", today.isoformat()])


def test_csv_import_page_shows_the_row_report_and_saves_nothing(client, social_worker, today):
    login(client, social_worker)
    response = client.post(
        reverse("referrals:import"), {"file": csv_file(csv_row(new_number(), today), csv_row(bad_checksum(new_number()), today))},
        follow=True,
    )
    assert response.status_code == 200 and response.redirect_chain[0][0].startswith("/anvisningar/import/")
    html = response.content.decode()
    assert "Rad 3: personnumret har fel kontrollsiffra." in html and "Ingenting har sparats" in html
    assert not Referral.objects.exists()


def test_csv_import_page_imports_and_lists(client, social_worker, today):
    login(client, social_worker)
    response = client.post(reverse("referrals:import"), {"file": csv_file(csv_row(new_number(), today), csv_row(new_number(), today))})
    assert response.status_code == 302
    assert Referral.objects.count() == 2
    html = client.get(response["Location"]).content.decode()
    assert "2 anvisningar är importerade." in html
    batch = Referral.objects.first().import_batch_id
    html = client.get(reverse("referrals:list"), {"import": batch}).content.decode()
    assert html.count("Ahmed") == 2


def test_referral_returned_and_completed(client, social_worker, coach, today):
    referral = f.ReferralFactory(participation__coach=coach, participation__referred_on=today)
    login(client, coach)
    response = client.post(reverse("referrals:return", args=[referral.pk]), {"return-reason": "Samtycket saknar omfattning."})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == "returned"

    login(client, social_worker)
    assert "Samtycket saknar omfattning." in client.get(reverse("referrals:list") + "?state=returned").content.decode()
    person = referral.participation.person
    response = client.post(reverse("referrals:resubmit", args=[referral.pk]), {
        "first_name": person.first_name, "last_name": person.last_name, "target_groups": ["fs-arbetsloshet"],
        "basis": "Arbetslös.", "consent_given_on": today.isoformat(), "consent_scope": "Allt om planering", "legal_ground": "",
    })
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == "submitted" and referral.consent_scope == "Allt om planering"
