"""The referral's coach list (issue 10 item 2): grouped by unit and filtered to the receiving
Jobbtorg — reloaded by htmx when the unit changes, and checked by the server without JavaScript."""

import re

import pytest
from django.urls import reverse

from jobbtorg.participations.models import Participation
from jobbtorg.participations.tests.fixtures import login
from jobbtorg.referrals.tests.test_views import form_data
from jobbtorg.testing import factories as f

pytestmark = pytest.mark.django_db


def coach_groups(html):
    """{optgroup label: [option texts]} of the appointment coach select."""
    select = re.search(r'<select name="appointment_coach".*?</select>', html, re.S).group(0)
    return {
        label: re.findall(r"<option[^>]*>([^<]+)</option>", body)
        for label, body in re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    }


def test_referral_coach_list_grouped_by_unit_and_filtered(client, social_worker):
    jarva, sydost = f.unit(), f.unit("sydost")
    jana = f.UserFactory(coach=True, first_name="Jana", last_name="Järvacoach")
    south = f.UserFactory(coach=True, jobbtorg_unit=sydost, first_name="Sam", last_name="Sydostcoach")
    login(client, social_worker)

    # The unit serving the worker's district (Rinkeby-Kista → Järva) is the default.
    page = client.get(reverse("referrals:create")).content.decode()
    assert coach_groups(page) == {jarva.name: ["Jana Järvacoach"]}
    assert f"Coacher på {jarva.name}." in page

    # htmx reload when another Jobbtorg is chosen.
    options = client.get(reverse("referrals:coach_options"), {"unit": sydost.pk}).content.decode()
    assert coach_groups(options) == {sydost.name: ["Sam Sydostcoach"]}

    # Without JavaScript the list is not reloaded: the server refuses the other unit's coach in
    # Swedish and offers the chosen unit's coaches.
    response = client.post(
        reverse("referrals:create"),
        form_data(jana, unit=sydost.pk, unit_reason="Specialiserat stöd."),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert f"Välj en coach som arbetar på {sydost.name}, det mottagande jobbtorget." in html
    assert coach_groups(html) == {sydost.name: ["Sam Sydostcoach"]}
    assert not Participation.objects.exists()

    response = client.post(reverse("referrals:create"), form_data(south, unit=sydost.pk, unit_reason="Specialiserat stöd."))
    assert response.status_code == 302
    assert Participation.objects.get().unit == sydost
