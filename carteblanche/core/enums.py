from django.db import models


class JobStatus(models.TextChoices):
    PENDING = "en_attente", "En attente"
    RUNNING = "en_cours", "En cours"
    SUCCEEDED = "terminee", "Terminée"
    FAILED = "echouee", "Échouée"


class MessageStatus(models.TextChoices):
    PENDING = "a_envoyer", "À envoyer"
    SENDING = "envoi", "Envoi en cours"
    SENT = "envoye", "Envoyé"
    EXPIRED = "perime", "Périmé (son moment était passé)"
    FAILED = "abandonne", "Abandonné après plusieurs essais"
    UNCERTAIN = "incertain", "Envoi incertain (non renvoyé)"


class MessageChannel(models.TextChoices):
    EMAIL = "courriel", "Courriel"
    SMS = "sms", "SMS"
