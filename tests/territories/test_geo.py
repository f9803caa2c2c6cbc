import pytest

from carteblanche.mobility.forms import HitchhikingStopForm, StopForm
from carteblanche.mobility.models import CandidateStop, HitchhikingStop
from carteblanche.territories import geo
from carteblanche.territories.models import Commune, Territory

SLUG = "bassin-de-vie-de-cahors"


def test_every_stop_of_the_demo_lies_in_its_own_commune_and_not_in_a_far_one():
    """The real boundaries of the Lot: each demo stop is inside its commune, and none is inside Figeac's."""
    figeac = Commune.objects.get(insee_code="46102")
    stops = [*CandidateStop.objects.select_related("commune"), *HitchhikingStop.objects.select_related("commune")]
    assert len(stops) >= 10
    for stop in stops:
        assert geo.in_commune(stop.commune, stop.latitude, stop.longitude), stop
        assert not geo.in_commune(figeac, stop.latitude, stop.longitude), stop


def test_a_commune_without_boundary_falls_back_to_the_distance_from_its_centre():
    cahors = Commune.objects.get(insee_code="46042")
    cahors.boundary_geojson = ""
    assert geo.in_commune(cahors, cahors.latitude + 0.05, cahors.longitude)
    assert not geo.in_commune(cahors, cahors.latitude + 0.2, cahors.longitude)


@pytest.mark.parametrize(
    ("latitude", "longitude", "error"),
    [
        ("1", "1", True),  # the Gulf of Guinea
        ("44,6078", "2,0317", True),  # Figeac: in the Lot, not in Cahors
        ("44,4475", "1,4410", False),  # Cahors, place François-Mitterrand
    ],
)
def test_a_stop_typed_by_hand_must_lie_in_its_commune(latitude, longitude, error):
    territory = Territory.objects.get(slug=SLUG)
    cahors = Commune.objects.get(insee_code="46042")
    data = {
        "commune": cahors.pk,
        "place": "Place de test",
        "latitude": latitude,
        "longitude": longitude,
        "service_minutes": 30,
        "frequency": "hebdomadaire",
        "half_days": ["0-am"],
        "is_active": "on",
    }
    form = StopForm(data, territory=territory)
    assert form.is_valid() is not error, form.errors
    if error:
        assert "hors de la commune de Cahors" in form.errors["latitude"][0]
    meeting = HitchhikingStopForm(
        {"commune": cahors.pk, "name": "Parking", "latitude": latitude, "longitude": longitude}, territory=territory
    )
    assert meeting.is_valid() is not error, meeting.errors


def test_a_site_typed_in_the_administration_must_lie_in_its_commune(admin_client):
    """The importer refuses a site outside its commune; the administration's form refuses it too."""
    from django.urls import reverse

    from carteblanche.territories.models import ServiceSite

    site = ServiceSite.objects.filter(external_id__isnull=False).select_related("commune").first()
    url = reverse("admin:territories_servicesite_change", args=[site.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    data = {
        "kind": site.kind,
        "name": site.name,
        "commune": site.commune_id,
        "latitude": "1",
        "longitude": str(site.longitude),
        "opening_periods-TOTAL_FORMS": "0",
        "opening_periods-INITIAL_FORMS": "0",
        "_save": "Enregistrer",
    }
    refused = admin_client.post(url, data)
    assert refused.status_code == 200 and "hors de la commune de" in refused.content.decode()
    site.refresh_from_db()
    assert site.latitude > 40
