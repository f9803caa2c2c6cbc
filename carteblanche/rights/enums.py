from django.db import models


class MemberRole(models.TextChoices):
    APPLICANT = "demandeur", "Demandeur ou demandeuse"
    PARTNER = "conjoint", "Conjoint ou conjointe"
    CHILD = "enfant", "Enfant à charge"


class Tenure(models.TextChoices):
    TENANT = "locataire", "Locataire (logement vide)"
    TENANT_FURNISHED = "locataire_meuble", "Locataire (meublé)"
    SOCIAL_TENANT = "locataire_hlm", "Locataire d'un logement social"
    OWNER = "proprietaire", "Propriétaire"
    OWNER_LOAN = "primo_accedant", "Propriétaire avec un prêt en cours"
    HOSTED = "loge_gratuitement", "Hébergement à titre gratuit"
    HOMELESS = "sans_domicile", "Sans domicile stable"


class IncomeKind(models.TextChoices):
    """Monthly amounts, as organisations export them. Each maps to one OpenFisca variable."""

    SALARY_NET = "salaire_net", "Salaire net"
    SALARY_TAXABLE = "salaire_imposable", "Salaire imposable"
    SALARY_GROSS = "salaire_brut", "Salaire brut"
    UNEMPLOYMENT_NET = "chomage_net", "Allocation chômage (ARE) nette"
    UNEMPLOYMENT_TAXABLE = "chomage_imposable", "Allocation chômage (ARE) imposable"
    PENSION = "retraite_nette", "Retraite nette"
    PENSION_TAXABLE = "retraite_imposable", "Retraite imposable"
    ALIMONY = "pension_alimentaire", "Pension alimentaire reçue"
    ALIMONY_PAID = "pension_alimentaire_versee", "Pension alimentaire versée"
    SELF_EMPLOYED = "revenu_independant", "Revenu d'activité indépendante"


class Benefit(models.TextChoices):
    """The rights the platform computes (and the benefits organisations report as paid)."""

    RSA = "rsa", "Revenu de solidarité active (RSA)"
    PPA = "ppa", "Prime d'activité"
    HOUSING = "aide_logement", "Aide au logement (APL, ALF, ALS)"
    AF = "af", "Allocations familiales"
    ASF = "asf", "Allocation de soutien familial"
    CF = "cf", "Complément familial"
    PAJE = "paje", "Prestation d'accueil du jeune enfant (allocation de base)"
    CSS_FREE = "css", "Complémentaire santé solidaire gratuite"
    CSS_PAID = "css_participation", "Complémentaire santé solidaire avec participation"
    ARS = "ars", "Allocation de rentrée scolaire"
    ENERGY = "cheque_energie", "Chèque énergie"
    AAH = "aah", "Allocation aux adultes handicapés (AAH)"
    ASPA = "aspa", "Allocation de solidarité aux personnes âgées (ASPA, minimum vieillesse)"
    ASS = "ass", "Allocation de solidarité spécifique (ASS)"
    AEEH = "aeeh", "Allocation d'éducation de l'enfant handicapé (AEEH)"
    BOURSE_COLLEGE = "bourse_college", "Bourse de collège"
    BOURSE_LYCEE = "bourse_lycee", "Bourse de lycée"
    AGEPI = "agepi", "Aide à la garde d'enfants pour parent isolé (AGEPI)"
    CMG = "paje_cmg", "Complément de libre choix du mode de garde (CMG)"


class Schooling(models.TextChoices):
    """Where a child goes to school (the school grants read it)."""

    COLLEGE = "college", "Au collège"
    LYCEE = "lycee", "Au lycée"


class ContractType(models.TextChoices):
    """The contract of a job starting (France Travail's AGEPI reads it)."""

    CDI = "cdi", "Contrat à durée indéterminée (CDI)"
    CDD = "cdd", "Contrat à durée déterminée (CDD)"
    CTT = "ctt", "Mission d'intérim (contrat de travail temporaire)"


class ChildcareMode(models.TextChoices):
    """How a child under 6 is looked after while the parents work (the CMG reads it)."""

    PARENTS = "parents", "Par ses parents (ou à l'école)"
    NURSERY = "creche", "En crèche (accueil collectif)"
    DIRECT = "emploi_direct", "Assistante maternelle agréée employée directement"
    STRUCTURE = "structure", "Micro-crèche, association ou entreprise"
    HOME = "garde_domicile", "Garde à domicile"


class DataCategory(models.TextChoices):
    """What a consent may open. Each personal-data model belongs to exactly one category."""

    IDENTITY = "identite", "Identité et coordonnées"
    HOUSEHOLD = "foyer", "Composition du foyer"
    HOUSING = "logement", "Logement"
    INCOME = "revenus", "Revenus"
    BENEFITS = "prestations", "Prestations perçues"


class Purpose(models.TextChoices):
    COUNTER = "accompagnement", "Accompagnement au guichet"
    SCREENING = "anticipation", "Anticipation des droits (examen automatique et information)"


class ConsentChannel(models.TextChoices):
    ONLINE = "en_ligne", "En ligne, par la personne"
    COUNTER = "guichet", "Au guichet, avec un agent"


class ImportKind(models.TextChoices):
    CAF = "caf", "CAF : foyer, logement et prestations (JSON)"
    FRANCE_TRAVAIL = "france_travail", "France Travail : inscription et allocation chômage (CSV)"
    PAYROLL = "paie", "Paie : salaires mensuels (CSV)"


class ImportStatus(models.TextChoices):
    PENDING = "en_attente", "En attente de traitement"
    DONE = "termine", "Terminé"
    REJECTED = "rejete", "Rejeté (rien n'a été enregistré)"


class ReferralStatus(models.TextChoices):
    """sent → accepted or refused (with a reason) → done."""

    SENT = "envoyee", "Envoyée"
    ACCEPTED = "acceptee", "Acceptée"
    REFUSED = "refusee", "Refusée"
    DONE = "terminee", "Terminée"


class NoticeChannel(models.TextChoices):
    EMAIL = "email", "Courriel"
    SMS = "sms", "SMS"
