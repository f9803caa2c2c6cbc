import datetime

from django.db import models


class VigieRole(models.TextChoices):
    POSTMAN = "facteur", "Facteur ou factrice"
    HOME_HELP = "aide_domicile", "Aide à domicile"
    PHARMACIST = "pharmacien", "Pharmacien ou pharmacienne"
    TOWN_HALL = "secretaire_mairie", "Secrétaire de mairie"
    NEIGHBOUR = "voisin", "Voisin ou voisine"
    BUS_DRIVER = "chauffeur_bus", "Conducteur du bus France services"
    SOLIDARITY_DRIVER = "chauffeur_solidaire", "Chauffeur du transport solidaire"
    OTHER = "autre", "Autre"


class Seen(models.TextChoices):
    """What a vigie saw: a short list, never a diagnosis."""

    NOT_SEEN = "pas_vu", "Pas vu depuis plusieurs jours"
    MAIL = "courrier", "Courrier qui s'accumule"
    COLD = "logement_froid", "Logement froid"
    ISOLATION = "isolement", "Isolement"
    PAPERWORK = "demarche", "Difficulté avec une démarche"
    OTHER = "autre", "Autre"


class Urgency(models.TextChoices):
    DAY = "jour", "Dans la journée"
    WEEK = "semaine", "Dans la semaine"
    MONTH = "mois", "Dans le mois"


# How long a signal may wait, at each urgency, before the structure's lead is told (escalation).
URGENCY_DELAYS = {
    Urgency.DAY: datetime.timedelta(hours=24),
    Urgency.WEEK: datetime.timedelta(days=7),
    Urgency.MONTH: datetime.timedelta(days=30),
}


class SignalStatus(models.TextChoices):
    NEW = "nouveau", "Nouveau"
    QUALIFIED = "qualifie", "Qualifié"
    ASSIGNED = "confie", "Confié à un partenaire"
    ACCEPTED = "accepte", "Accepté par le partenaire"
    CONTACTED = "contact", "Contact établi"
    CLOSED = "clos", "Clos"


class Outcome(models.TextChoices):
    HELP = "aide", "Aide mise en place"
    REFUSED = "refus", "La personne a refusé"
    NOTHING = "rien", "Rien n'était nécessaire"
    MOVED = "demenage", "A déménagé"
    DECEASED = "decede", "Décédé"
    OBJECTED = "opposition", "La personne s'est opposée au signalement"


class Origin(models.TextChoices):
    VIGIE = "vigie", "Une vigie"
    RESIDENT = "habitant", "Un habitant (sans compte)"


# RGPD art. 14.3 a: a person whose data were not obtained from her is told within a month at the latest.
INFORM_WITHIN = datetime.timedelta(days=30)


class InformedHow(models.TextChoices):
    VISIT = "visite", "Lors de la visite"
    PHONE = "telephone", "Par téléphone"
    LETTER = "courrier", "Par courrier"


class RegisterCategory(models.TextChoices):
    """Who the commune's register may hold (CASF L121-6-1, R121-2)."""

    ELDERLY = "65_ans", "Personne de 65 ans et plus"
    UNFIT = "60_ans_inapte", "Personne de plus de 60 ans reconnue inapte au travail"
    DISABLED = "handicap", "Personne adulte handicapée"


class RegisterSource(models.TextChoices):
    SELF = "elle_meme", "À sa demande"
    THIRD_PARTY = "tiers", "Par un tiers, par écrit (avec son accord)"
    DEPARTEMENT = "departement", "Liste transmise par le département"
    CARSAT = "carsat", "Liste transmise par la CARSAT"


class PlanKind(models.TextChoices):
    HEAT = "canicule", "Canicule"
    COLD = "grand_froid", "Grand froid"
    EPIDEMIC = "epidemie", "Épidémie"
    OTHER = "autre", "Autre risque exceptionnel"


class CallOutcome(models.TextChoices):
    FINE = "va_bien", "Jointe, va bien"
    VISIT = "visite", "Jointe, a besoin d'une visite"
    NOT_REACHED = "injoignable", "Pas jointe"
    VISITED = "visitee", "Visite faite"


# Not reached twice: a visit.
ATTEMPTS_BEFORE_VISIT = 2
