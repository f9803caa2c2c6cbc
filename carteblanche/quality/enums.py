"""The questionnaire's answers use the codes of « Je donne mon avis » (JDMA) so that results can be compared with the
State's online procedures; the engagements and indicators those of the Services Publics + programme."""

from django.db import models


class StructureKind(models.TextChoices):
    COUNTER = "guichet", "Accueil au guichet"
    FRANCE_SERVICES = "france_services", "France services"
    BUS = "bus", "Bus France services"
    RIDES = "transport", "Transport solidaire"
    BOOTH = "cabine", "Cabine de téléconsultation"


class Satisfaction(models.TextChoices):
    """JDMA ``satisfaction``: three smileys."""

    BAD = "bad", "Pas bien"
    MEDIUM = "medium", "Moyen"
    GOOD = "good", "Très bien"


class HelpTried(models.TextChoices):
    """JDMA ``contact_tried``: the kinds of help the person tried (several may be ticked)."""

    COUNTER = "guichet", "Un accueil sur place"
    PHONE = "telephone", "Le téléphone"
    ONLINE = "en_ligne", "Un e-mail, un formulaire ou une messagerie en ligne"
    RELATIVE = "proche", "Un proche, une association ou un aidant numérique"
    NONE = "aucune", "Aucune, je n'en ai pas eu besoin"


class HelpQuality(models.IntegerChoices):
    """JDMA ``contact_satisfaction``: five levels."""

    VERY_BAD = 1, "Très mauvaise"
    BAD = 2, "Mauvaise"
    FAIR = 3, "Moyenne"
    GOOD = 4, "Bonne"
    VERY_GOOD = 5, "Très bonne"


class Clarity(models.IntegerChoices):
    """JDMA ``comprehension``: the information and instructions given, 1 to 5."""

    ONE = 1, "1 — Pas du tout claires"
    TWO = 2, "2"
    THREE = 3, "3"
    FOUR = 4, "4"
    FIVE = 5, "5 — Très claires"


class AnswerChannel(models.TextChoices):
    """Where an answer came from: each a source of its own in the results. A personal link is recorded as the
    kind of service it followed (a visit at the counter or the bus, a solidarity ride, an appointment)."""

    POSTER = "affiche", "Affiche avec QR code"
    KIOSK = "borne", "Tablette à l'accueil"
    LINK = "lien", "Lien envoyé après le service"
    LINK_VISIT = "lien-passage", "Lien envoyé après un passage au guichet ou au bus"
    LINK_RIDE = "lien-trajet", "Lien envoyé après un transport solidaire"
    LINK_BOOKING = "lien-rdv", "Lien envoyé après un rendez-vous"
    PAPER = "papier", "Questionnaire papier saisi par un agent"


# The personal link's target says which service it followed.
LINK_CHANNELS = {
    "quality.visit": AnswerChannel.LINK_VISIT,
    "mobility.riderequest": AnswerChannel.LINK_RIDE,
    "bookings.appointment": AnswerChannel.LINK_BOOKING,
}


class Subject(models.TextChoices):
    """What a person came for: the families of procedures met at a France services counter."""

    FAMILY = "famille", "Famille, prestations sociales (CAF, MSA)"
    HEALTH = "sante", "Santé (Assurance maladie)"
    JOB = "emploi", "Emploi (France Travail)"
    RETIREMENT = "retraite", "Retraite"
    TAX = "impots", "Impôts, finances publiques"
    ID = "identite", "Papiers d'identité, permis, carte grise"
    JUSTICE = "justice", "Justice, accès au droit"
    HOUSING = "logement", "Logement, énergie"
    DIGITAL = "numerique", "Aide au numérique (compte, messagerie)"
    MOBILITY = "mobilite", "Mobilité, transport"
    OTHER = "autre", "Autre"


class VisitOutcome(models.TextChoices):
    SOLVED = "resolu", "Résolu sur place"
    REFERRED = "oriente", "Orienté vers un autre service"
    FOLLOW_UP = "suite", "À suivre (rendez-vous, pièce manquante)"
    LEFT = "parti", "Parti sans être reçu"


class CallSource(models.TextChoices):
    MANUAL = "saisie", "Saisi par un agent"
    IMPORT = "import", "Import de la téléphonie"


class Feeling(models.TextChoices):
    POSITIVE = "positif", "Positive"
    NEUTRAL = "neutre", "Mitigée"
    NEGATIVE = "negatif", "Négative"


class ExperienceStatus(models.TextChoices):
    RECEIVED = "recue", "À modérer"
    PUBLISHED = "publiee", "Publiée"
    REJECTED = "refusee", "Non publiée"


class Engagement(models.TextChoices):
    """The engagements of Services Publics + (referential of the programme; a site states those it applies)."""

    COURTESY = "SP1", "Vous êtes accueilli avec courtoisie et bienveillance, dans des démarches simples et accessibles"
    REACHABLE = "SP2", "Nous sommes joignables par téléphone ou sur place, et vous orientons vers le bon interlocuteur"
    CLEAR_ANSWER = "SP3", "Nous vous répondons clairement, dans un délai annoncé, et vous pouvez contester la réponse"
    PERSONALISED = "SP4", "Nous vous accompagnons de façon adaptée à votre situation, y compris dans le numérique"
    TRANSPARENCY = "SP5", "Nous publions nos résultats de qualité de service et vos retours d'expérience"
    LISTENING = "SP6", "Nous sommes à votre écoute pour progresser et innover avec vous"
    ECO = "SP7", "Nous agissons pour une administration éco-responsable"
    SIMPLIFICATION = "SP8", "Nous ne vous demandons pas deux fois une information que l'administration détient déjà"
    FOLLOW_UP = "SP9", "Nous vous tenons informé de l'avancement de votre demande"
