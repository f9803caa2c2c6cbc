from django.db import models


class Place(models.TextChoices):
    """Where a motif happens."""

    SITE = "site", "Dans un lieu d'accueil"
    BUS = "bus", "À un arrêt du bus France services"
    PHONE = "telephone", "Par téléphone"
    HOME = "domicile", "À domicile"


class Audience(models.TextChoices):
    """Who may book a motif; each includes the ones before it."""

    AGENTS = "agents", "Les agents de l'organisation seulement"
    PARTNERS = "partenaires", "Les agents des organisations partenaires du territoire"
    RESIDENTS = "habitants", "Les habitants eux-mêmes, en ligne"


class Recurrence(models.TextChoices):
    WEEKLY = "hebdomadaire", "Chaque semaine"
    FORTNIGHTLY = "quinzaine", "Une semaine sur deux"


class ResourceKind(models.TextChoices):
    BOOTH = "cabine", "Cabine de téléconsultation"
    ROOM = "salle", "Salle"


class Status(models.TextChoices):
    BOOKED = "pris", "Pris"
    SEEN = "honore", "Honoré"
    EXCUSED = "excuse", "Excusé"
    CANCELLED = "annule", "Annulé"
    NO_SHOW = "lapin", "Non venu (« lapin »)"


class BookedVia(models.TextChoices):
    ONLINE = "en_ligne", "Par l'habitant, en ligne"
    COUNTER = "guichet", "Par un agent, au guichet"
    PHONE = "telephone", "Par téléphone"
    RIDE = "transport", "Depuis une demande de transport solidaire"
    WAITLIST = "liste_attente", "Par la liste d'attente"


class WaitStatus(models.TextChoices):
    WAITING = "attente", "En attente"
    BOOKED = "pris", "Rendez-vous pris"
    CLOSED = "close", "Close"


class OfferStatus(models.TextChoices):
    SENT = "envoyee", "Envoyée"
    ACCEPTED = "acceptee", "Acceptée"
    TAKEN = "prise", "Prise par une autre personne"


class DeliveryStatus(models.TextChoices):
    PENDING = "a_envoyer", "À envoyer"
    DELIVERED = "recu", "Reçu"
    FAILED = "abandonne", "Abandonné"


class WebhookEvent(models.TextChoices):
    """What a partner's tool is told (machine names, as RDV Service Public's webhooks); a move is the new
    appointment « created », then the former one « cancelled »."""

    CREATED = "created", "Rendez-vous pris"
    CANCELLED = "cancelled", "Rendez-vous annulé"
    SEEN = "seen", "Rendez-vous honoré"
    EXCUSED = "excused", "Absence excusée"
    NO_SHOW = "noshow", "Lapin (non venu)"
