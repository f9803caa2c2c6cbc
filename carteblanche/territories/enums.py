from django.db import models


class TerritoryKind(models.TextChoices):
    LIVING_AREA = "bassin_de_vie", "Bassin de vie"
    DEPARTMENT = "departement", "Département"
    EPCI = "epci", "Intercommunalité (EPCI)"
    CUSTOM = "libre", "Périmètre libre"


class OrganisationKind(models.TextChoices):
    STATE = "etat", "Service de l'État"
    LOCAL_AUTHORITY = "collectivite", "Collectivité territoriale"
    OPERATOR = "operateur", "Opérateur (CAF, France Travail, CPAM…)"
    ASSOCIATION = "association", "Association"


class SiteKind(models.TextChoices):
    FRANCE_SERVICES = "france_services", "France services"
    TOWN_HALL = "mairie", "Mairie"
    CAF = "caf", "Accueil CAF"
    FRANCE_TRAVAIL = "france_travail", "Agence France Travail"
    PREFECTURE = "prefecture", "Préfecture ou sous-préfecture"
    OTHER = "autre", "Autre point d'accueil"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "lundi"
    TUESDAY = 1, "mardi"
    WEDNESDAY = 2, "mercredi"
    THURSDAY = 3, "jeudi"
    FRIDAY = 4, "vendredi"
    SATURDAY = 5, "samedi"
    SUNDAY = 6, "dimanche"
