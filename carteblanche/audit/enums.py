from django.db import models


class Action(models.TextChoices):
    LOGIN = "connexion", "Connexion"
    LOGIN_FAILED = "connexion_refusee", "Connexion refusée"
    LOGOUT = "deconnexion", "Déconnexion"
    PASSWORD_CHANGED = "mot_de_passe_modifie", "Mot de passe modifié"
    REFERENCE_IMPORTED = "referentiel_importe", "Référentiel importé"
    TERRITORY_BUILT = "territoire_construit", "Territoire construit"
    MEMBERSHIP_CHANGED = "appartenance_modifiee", "Appartenance modifiée"
    SITE_HOURS_CHANGED = "horaires_modifies", "Horaires d'un site modifiés"
    JOB_STARTED = "tache_lancee", "Tâche lancée"
    PERSONAL_DATA_READ = "donnees_lues", "Lecture de données personnelles"
    PERSONAL_DATA_WRITTEN = "donnees_ecrites", "Écriture de données personnelles"
    PERSONAL_DATA_REFUSED = "acces_refuse", "Accès à des données personnelles refusé"
    CONSENT_GIVEN = "consentement_donne", "Consentement donné"
    CONSENT_REVOKED = "consentement_retire", "Consentement retiré"
    DEROGATION = "derogation", "Dérogation (demande, décision, évaluation)"
    BUS_INPUT_CHANGED = "bus_modifie", "Bus, journées ou arrêts modifiés"
    ROAD_TIMES_IMPORTED = "temps_routiers_importes", "Temps routiers importés"
    TOUR_PLAN_PUBLISHED = "plan_publie", "Plan de tournées publié"
