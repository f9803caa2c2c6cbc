from django.db import models


class Frequency(models.TextChoices):
    WEEKLY = "hebdomadaire", "Chaque semaine"
    FORTNIGHTLY = "quinzaine", "Une semaine sur deux"


class PlanStatus(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    PUBLISHED = "publie", "Publié"
    ARCHIVED = "archive", "Remplacé"


class MatrixSource(models.TextChoices):
    ESTIMATE = "estimation", "Estimation (vol d'oiseau × facteur routier)"
    ROAD = "routier", "Temps routiers importés"


class RoutingEngine(models.TextChoices):
    OSRM = "osrm", "OSRM (service « table »)"
    VALHALLA = "valhalla", "Valhalla (« sources_to_targets »)"


# The ten half-days a stop may be allowed on: (code, weekday, afternoon?).
HALF_DAYS = [(f"{day}-{half}", day, half == "pm") for day in range(5) for half in ("am", "pm")]
WEEKDAY_NAMES = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
HALF_DAY_CHOICES = [
    (code, f"{WEEKDAY_NAMES[day].capitalize()} {'après-midi' if pm else 'matin'}") for code, day, pm in HALF_DAYS
]


class RideStatus(models.TextChoices):
    REQUESTED = "demandee", "Demandée"
    MATCHING = "recherche", "Recherche d'un chauffeur"
    PROPOSED = "proposee", "Proposée aux chauffeurs"
    CONFIRMED = "confirmee", "Confirmée"
    DONE = "effectuee", "Effectuée"
    CANCELLED = "annulee", "Annulée"
    NO_SOLUTION = "sans_solution", "Sans solution"


OPEN_RIDE_STATUSES = (RideStatus.REQUESTED, RideStatus.MATCHING, RideStatus.PROPOSED)


class RidePurpose(models.TextChoices):
    SERVICES = "demarche", "Démarche administrative (France services, CAF, mairie…)"
    HEALTH = "sante", "Santé (médecin, pharmacie, analyses)"
    EMPLOYMENT = "emploi", "Emploi ou formation"
    SHOPPING = "courses", "Courses"
    SOCIAL = "lien_social", "Visite, lien social"
    OTHER = "autre", "Autre"


class ReturnKind(models.TextChoices):
    ONE_WAY = "aller", "Aller simple"
    RETURN = "aller_retour", "Aller et retour (le chauffeur revient le chercher)"
    WAIT = "attente", "Aller et retour, le chauffeur attend sur place"


class Channel(models.TextChoices):
    PHONE = "telephone", "Par téléphone"
    COUNTER = "guichet", "Au guichet"
    ONLINE = "en_ligne", "En ligne"


class ProposalStatus(models.TextChoices):
    SENT = "envoyee", "Envoyée"
    ACCEPTED = "acceptee", "Acceptée"
    DECLINED = "refusee", "Refusée"
    WITHDRAWN = "retiree", "Retirée (un autre chauffeur a accepté)"
    EXPIRED = "expiree", "Sans réponse"


class RideAction(models.TextChoices):
    CREATED = "creee", "Demande enregistrée"
    MATCHED = "proposee", "Proposée aux chauffeurs"
    NO_DRIVER = "sans_chauffeur", "Aucun chauffeur disponible"
    ACCEPTED = "acceptee", "Acceptée par le chauffeur"
    DECLINED = "refusee", "Refusée par un chauffeur"
    ASSIGNED = "attribuee", "Attribuée par l'opérateur"
    REMINDED = "rappel", "Rappel envoyé"
    DONE = "effectuee", "Trajet effectué"
    CANCELLED = "annulee", "Annulée"


# Half-days of the week a volunteer may be available on, Saturday included.
RIDE_HALF_DAYS = [(f"{day}-{half}", day, half == "pm") for day in range(6) for half in ("am", "pm")]
RIDE_HALF_DAY_CHOICES = [
    (code, f"{WEEKDAY_NAMES[day].capitalize()} {'après-midi' if pm else 'matin'}") for code, day, pm in RIDE_HALF_DAYS
]
