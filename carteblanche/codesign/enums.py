from django.db import models


class WorkshopStatus(models.TextChoices):
    PREPARED = "prepare", "En préparation"
    OPEN = "ouvert", "Ouvert aux idées"
    VOTING = "vote", "Vote en cours"
    CLOSED = "clos", "Clos"


class SequenceKind(models.TextChoices):
    ICE_BREAKER = "brise_glace", "Brise-glace"
    PROBLEM = "probleme", "Problème"
    IDEATION = "ideation", "Idéation"
    VOTE = "vote", "Vote"
    NEXT_STEPS = "suites", "Prochaines étapes"
    OTHER = "autre", "Autre"


class ParticipantKind(models.TextChoices):
    RESIDENT = "usager", "Usager"
    AGENT = "agent", "Agent"
    ELECTED = "elu", "Élu"
    OTHER = "autre", "Autre"


DEFAULT_RULES = "Zéro contrainte, écoute et bienveillance. Pas de hiérarchie : chacun parle pour lui-même."

DEFAULT_AGENDA = (
    (SequenceKind.ICE_BREAKER, "Deux vérités et un mensonge", 15),
    (SequenceKind.PROBLEM, "Le parcours de la persona et ses irritants", 30),
    (SequenceKind.IDEATION, "Idées, sans contrainte", 40),
    (SequenceKind.VOTE, "Vote par gommettes", 15),
    (SequenceKind.NEXT_STEPS, "Prochaines étapes", 20),
)

# Persona templates: a starting point the team rewrites with what it heard.
PERSONA_TEMPLATES = {
    "parent_isole": {
        "label": "Parent seul qui travaille en horaires décalés",
        "name": "Sarah",
        "age": 27,
        "portrait": "Jeune mère seule de deux enfants, aide à domicile en CDD dans un village à 20 km de Cahors.",
        "situation": "Pas de voiture certains jours ; des horaires qui changent chaque semaine ; un contrat qui finit "
        "dans trois mois.",
        "needs": "Un emploi stable\nUne garde d'enfants en horaires décalés\n"
        "Un filet de sécurité quand le contrat s'arrête",
        "journey": "Perd son contrat : ne sait pas à quoi elle a droit\nAppelle la CAF : attente, pas de réponse\n"
        "Doit aller à Cahors pour un rendez-vous : pas de bus ce jour-là",
        "letter": "Madame, Monsieur, je ne demande pas la charité : je voudrais juste savoir ce à quoi j'ai "
        "droit avant qu'il ne soit trop tard, et pouvoir faire garder mes enfants quand je travaille.",
    },
    "personne_agee_rurale": {
        "label": "Personne âgée isolée en commune rurale",
        "name": "Marcel",
        "age": 81,
        "portrait": "Veuf, ancien agriculteur, vit seul dans un hameau.",
        "situation": "Ne conduit plus ; pas d'ordinateur ; une retraite modeste.",
        "needs": "Faire ses démarches sans internet\nSe déplacer pour ses soins",
        "journey": "Reçoit un courrier lui demandant de se connecter à un site\nDemande de l'aide à un voisin",
        "letter": "Je ne sais pas me servir d'un ordinateur et je n'ai plus de voiture : comment je fais ?",
    },
    "jeune_sans_permis": {
        "label": "Jeune sans permis qui cherche un emploi",
        "name": "Kevin",
        "age": 19,
        "portrait": "Sorti du lycée professionnel, vit chez ses parents à 25 km de Cahors.",
        "situation": "Pas de permis ni de voiture ; des offres d'emploi en ville à des horaires sans bus.",
        "needs": "Se déplacer vers l'emploi\nPasser le permis",
        "journey": "Trouve une offre à Cahors\nNe peut pas s'y rendre avant 9 h",
        "letter": "J'ai trouvé du travail mais je ne peux pas y aller.",
    },
}


class ExperimentStage(models.TextChoices):
    HYPOTHESIS = "hypothese", "Hypothèse"
    PROTOTYPE = "prototype", "Prototype"
    PROTOCOL = "protocole", "Protocole de test"
    RESULTS = "resultats", "Résultats"
    DECISION = "decision", "Décision"


class Decision(models.TextChoices):
    GENERALISE = "generaliser", "Généraliser"
    ITERATE = "iterer", "Itérer"
    STOP = "arreter", "Arrêter"


class Direction(models.TextChoices):
    UP = "hausse", "Plus c'est haut, mieux c'est"
    DOWN = "baisse", "Plus c'est bas, mieux c'est"


class DerogationDomain(models.TextChoices):
    """Domains open to the prefect's right to derogate (décret n° 2020-412 du 8 avril 2020, art. 2)."""

    SUBSIDIES = (
        "subventions",
        (
            "Octroi de subventions, concours financiers et dispositifs de soutien en faveur des acteurs économiques, "
            "des associations et des collectivités territoriales"
        ),
    )
    PLANNING = "amenagement", "Aménagement du territoire et politique de la ville"
    ENVIRONMENT = "environnement", "Environnement, agriculture et forêts"
    HOUSING = "logement", "Construction, logement et urbanisme"
    EMPLOYMENT = "emploi", "Emploi et activité économique"
    HERITAGE = "patrimoine", "Protection et mise en valeur du patrimoine culturel"
    ACTIVITIES = "activites", "Activités sportives, socio-éducatives et associatives"


class DerogationStatus(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    SUBMITTED = "soumise", "Soumise au préfet"
    GRANTED = "accordee", "Accordée"
    REFUSED = "refusee", "Refusée"
    EVALUATED = "evaluee", "Évaluée"
