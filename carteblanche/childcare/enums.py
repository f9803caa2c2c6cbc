from django.db import models


class ProviderKind(models.TextChoices):
    CHILDMINDER = "assistante_maternelle", "Assistante maternelle"
    MAM = "mam", "Maison d'assistants maternels (MAM)"
    MICRO_CRECHE = "micro_creche", "Micro-crèche"
    CRECHE = "creche", "Crèche"
    AFTER_SCHOOL = "periscolaire", "Accueil périscolaire"
    HOME_CARE = "garde_domicile", "Garde à domicile"


class Place(models.TextChoices):
    HOME = "domicile", "Au domicile"
    SCHOOL = "ecole", "À l'école"
    WORK = "travail", "Au travail du parent"


class NeedStatus(models.TextChoices):
    OPEN = "ouvert", "À pourvoir"
    PROPOSED = "propose", "Solution proposée"
    SOLVED = "pourvu", "Solution en place"
    CLOSED = "clos", "Clos sans solution"


class ProposalStatus(models.TextChoices):
    DRAFT = "brouillon", "Préparée"
    FAMILY_AGREED = "accord_famille", "Acceptée par la famille"
    SENT = "envoyee", "Envoyée aux accueillants"
    CONFIRMED = "confirmee", "Confirmée par tous"
    DECLINED = "refusee", "Refusée"


class PartStatus(models.TextChoices):
    WAITING = "en_attente", "En attente"
    ACCEPTED = "acceptee", "Acceptée"
    DECLINED = "refusee", "Refusée"
