from django.db import models


class VisitKind(models.TextChoices):
    INTERVIEW = "entretien", "Entretien collectif"
    IMMERSION = "immersion", "Immersion dans un lieu d'accueil"


class ParticipantKind(models.TextChoices):
    AGENTS = "agents", "Agents"
    MANAGERS = "encadrants", "Encadrants"
    RESIDENTS = "usagers", "Usagers"
    ELECTED = "elus", "Élus"


class IrritantStatus(models.TextChoices):
    NEW = "nouveau", "Nouveau"
    QUALIFIED = "qualifie", "Qualifié"
    MERGED = "fusionne", "Fusionné"
    ADDRESSED = "traite", "Traité par une solution"


class IrritantSource(models.TextChoices):
    TEAM = "equipe", "Saisi par l'équipe ou un agent"
    RESIDENT = "usager", "Formulaire public d'un usager"
    COUNTER = "guichet", "Recueilli au guichet pour un usager"
    IMPORT = "import", "Import de fichier"
    FIELD = "terrain", "Issu du travail de terrain"


class Severity(models.IntegerChoices):
    MINOR = 1, "Gênant"
    PENALISING = 2, "Pénalisant"
    BLOCKING = 3, "Bloquant"
    CRITICAL = 4, "Rupture de droits ou de soins"


class Frequency(models.IntegerChoices):
    RARE = 1, "Rarement entendu"
    SOMETIMES = 2, "Parfois entendu"
    OFTEN = 3, "Souvent entendu"
    VERY_OFTEN = 4, "Très souvent entendu"


class EvidenceKind(models.TextChoices):
    EXCERPT = "extrait", "Extrait de notes de terrain"
    RESIDENT_MESSAGE = "message", "Message d'un usager"
    CONTRIBUTION = "contribution", "Contribution importée"
    FIGURE = "chiffre", "Chiffre"
    NOTE = "note", "Note de l'équipe"


class IrritantEventKind(models.TextChoices):
    CREATED = "creation", "Création"
    EDITED = "modification", "Modification"
    STATUS = "statut", "Changement de statut"
    EVIDENCE = "preuve", "Preuve ajoutée"
    MERGED_INTO = "fusionne_dans", "Fusionné dans un autre irritant"
    ABSORBED = "fusion_recue", "A reçu la fusion d'un autre irritant"
    THEME = "theme", "Thème changé"


# Kinds of people affected, offered by default; the team can add its own.
DEFAULT_AFFECTED_GROUPS = (
    "Familles monoparentales",
    "Personnes sans voiture",
    "Personnes âgées",
    "Personnes en situation de handicap",
    "Jeunes de moins de 26 ans",
    "Demandeurs d'emploi",
    "Personnes éloignées du numérique",
    "Travailleurs précaires",
    "Agriculteurs et indépendants",
    "Habitants des communes rurales isolées",
)
