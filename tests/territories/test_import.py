from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from carteblanche.territories import importers
from carteblanche.territories.enums import TerritoryKind
from carteblanche.territories.models import Commune, OpeningPeriod, ServiceSite, Territory

COMMUNES_HEADER = (
    "code_insee,nom,population,latitude,longitude,coord_method,codes_postaux,siren,arrondissement,"
    "code_epci,nom_epci,bv2012_code,bv2012_nom,in_bv2012_cahors,anciens_codes\n"
)
SITES_HEADER = (
    "site_id,categorie,nom,adresse,complement_adresse,code_postal,code_insee,commune,latitude,longitude,"
    "telephone,mail,h_lundi,h_mardi,h_mercredi,h_jeudi,h_vendredi,h_samedi,prise_rdv,type_fs,format_fs,"
    "labellisation,in_bv2012_cahors\n"
)


def test_reference_import_gives_the_real_cahors_living_area():
    """The demo (loaded from the repo's files) holds the figures the README announces."""
    assert Commune.objects.count() == 312
    cahors = Territory.objects.get(slug="bassin-de-vie-de-cahors")
    assert cahors.communes.count() == 59
    assert cahors.population == 50_849
    assert ServiceSite.objects.in_territory(cahors).count() == 4
    assert Territory.objects.get(slug="departement-du-lot").communes.count() == 312
    bus = ServiceSite.objects.get(external_id="fs-262")
    assert bus.is_mobile and bus.commune.name == "Cahors"
    assert bus.hours_label(0) == "9 h 00 – 12 h 00, 14 h 00 – 17 h 15"
    assert bus.hours_label(5) == "fermé"
    assert Commune.objects.exclude(boundary_geojson="").count() == 312


def test_rerun_is_idempotent_and_loses_nothing():
    communes, sites, periods = Commune.objects.count(), ServiceSite.objects.count(), OpeningPeriod.objects.count()
    cahors = Territory.objects.get(slug="bassin-de-vie-de-cahors")
    memberships = cahors.memberships.count()
    call_command("import_reference", "--bassin-de-vie", "46042", verbosity=0)
    assert (Commune.objects.count(), ServiceSite.objects.count(), OpeningPeriod.objects.count()) == (
        communes,
        sites,
        periods,
    )
    cahors.refresh_from_db()
    assert cahors.communes.count() == 59
    assert cahors.memberships.count() == memberships
    assert Territory.objects.filter(kind=TerritoryKind.LIVING_AREA, code="46042").count() == 1


def test_bad_rows_are_reported_with_their_line_and_nothing_is_written(tmp_path: Path):
    good = "46901,Nouvelle,120,44.5,1.5,centroid,46000,,461,,,46042,Cahors,1,\n"
    bad_population = "46902,Mauvaise,beaucoup,44.5,1.5,centroid,46000,,461,,,46042,Cahors,1,\n"
    bad_code = "4690,Courte,10,44.5,1.5,centroid,46000,,461,,,46042,Cahors,1,\n"
    bad_place = "46903,Ailleurs,10,144.5,1.5,centroid,46000,,461,,,46042,Cahors,1,\n"
    communes = tmp_path / "communes.csv"
    communes.write_text(COMMUNES_HEADER + good + bad_population + bad_code + bad_place, encoding="utf-8")
    sites = tmp_path / "sites.csv"
    sites.write_text(
        SITES_HEADER + "fs-x,France services,Site X,,,46000,46901,Nouvelle,44.5,1.5,,,9h - midi,,,,,,Non,,Fixe,,1\n",
        encoding="utf-8",
    )
    before = Commune.objects.count()
    with pytest.raises(importers.ImportFailed) as excinfo:
        importers.import_reference(communes=communes, boundaries=None, sites=sites)
    messages = [str(e) for e in excinfo.value.errors]
    assert messages == [
        "communes.csv, ligne 3 : population « beaucoup » invalide (nombre entier positif attendu).",
        "communes.csv, ligne 4 : code INSEE « 4690 » invalide (5 caractères attendus).",
        "communes.csv, ligne 5 : latitude « 144.5 » invalide.",
        "sites.csv, ligne 2 : horaires du lundi « 9h - midi » illisibles (ex. 09:00 - 12:00).",
    ]
    assert Commune.objects.count() == before
    assert not Commune.objects.filter(insee_code="46901").exists()


def test_command_prints_errors_and_fails(tmp_path: Path, capsys):
    communes = tmp_path / "communes.csv"
    communes.write_text("code_insee,nom\n46001,Albas\n", encoding="utf-8")
    with pytest.raises(CommandError, match="rien n'a été importé"):
        call_command("import_reference", "--communes", str(communes))
    assert "colonnes manquantes : population, latitude, longitude" in capsys.readouterr().err


def test_build_territory_from_a_department_code():
    territory, created = importers.build_territory(kind=TerritoryKind.DEPARTMENT, code="46")
    assert not created  # the demo already holds the Lot: it is refreshed, not duplicated
    assert territory.communes.count() == 312
    assert territory.population == sum(Commune.objects.values_list("population", flat=True))


def test_unknown_code_is_refused():
    with pytest.raises(ValueError, match="Aucune commune"):
        importers.build_territory(kind=TerritoryKind.LIVING_AREA, code="99999")


def test_boundaries_of_unknown_communes_are_refused(tmp_path: Path):
    geojson = tmp_path / "contours.geojson"
    geojson.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code_insee":"46999"},'
        '"geometry":{"type":"Polygon","coordinates":[[[1,44],[1.1,44],[1.1,44.1],[1,44]]]}},'
        '{"type":"Feature","properties":{"code_insee":"46042"},"geometry":{"type":"Point","coordinates":[1,44]}}]}',
        encoding="utf-8",
    )
    with pytest.raises(importers.ImportFailed) as excinfo:
        importers.import_reference(communes=None, boundaries=geojson, sites=None)
    assert [str(e) for e in excinfo.value.errors] == [
        "contours.geojson, entité n° 2 : géométrie de 46042 absente ou non surfacique.",
        "contours.geojson : communes inconnues : 46999.",
    ]


def test_values_too_long_for_their_column_are_reported(tmp_path: Path):
    communes = tmp_path / "communes.csv"
    communes.write_text(
        COMMUNES_HEADER + "46904,Longue,10,44.5,1.5,centroid,46000,,461,,,460420,Cahors,1,\n", encoding="utf-8"
    )
    with pytest.raises(importers.ImportFailed) as excinfo:
        importers.import_reference(communes=communes, boundaries=None, sites=None)
    assert [str(e) for e in excinfo.value.errors] == [
        "communes.csv, ligne 2 : code du bassin de vie (2012) trop long (6 caractères, 5 au plus)."
    ]


def test_a_site_placed_outside_its_commune_is_refused_and_nothing_is_written(tmp_path: Path):
    """(1, 1) lies in the Gulf of Guinea; latitude and longitude swapped put a site in the Indian Ocean: both are
    refused with their line; the real sites, each within its commune's boundary, pass."""
    import csv

    with importers.SITES_CSV.open(encoding="utf-8", newline="") as real:
        rows = list(csv.DictReader(real))
    rows[0]["latitude"], rows[0]["longitude"] = "1", "1"
    rows[1]["latitude"], rows[1]["longitude"] = rows[1]["longitude"], rows[1]["latitude"]
    sites = tmp_path / "sites.csv"
    with sites.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    before = list(ServiceSite.objects.order_by("pk").values_list("external_id", "latitude", "longitude"))
    with pytest.raises(importers.ImportFailed) as excinfo:
        importers.import_reference(communes=None, boundaries=None, sites=sites)
    messages = [str(e) for e in excinfo.value.errors]
    assert messages[0] == (
        f"sites.csv, ligne 2 : coordonnées 1,00000 ; 1,00000 hors de la commune {rows[0]['code_insee']} "
        "(à plus de 0,5 km de ses limites) : vérifiez l'ordre latitude, longitude et le signe."
    )
    assert messages[1].startswith("sites.csv, ligne 3 : coordonnées ") and len(messages) == 2
    assert list(ServiceSite.objects.order_by("pk").values_list("external_id", "latitude", "longitude")) == before
