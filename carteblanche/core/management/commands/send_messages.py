from django.core.management.base import BaseCommand

from carteblanche.core import messaging
from carteblanche.core.enums import MessageStatus
from carteblanche.core.french import plural


class Command(BaseCommand):
    help = (
        "Renvoie les courriels et SMS restés en attente (fournisseur injoignable), jamais deux fois ni après leur "
        "moment (chaque minute, par cron, en mode embarqué ; Celery beat s'en charge en production)."
    )

    def handle(self, *args, **options):
        counts = messaging.send_pending()
        labels = dict(MessageStatus.choices) | {"incertains": "marqués incertains"}
        done = [f"{labels.get(k, k).lower()} : {n}" for k, n in counts.items() if n]
        tried = sum(counts.values())
        self.stdout.write(
            f"{plural(tried, 'message traité', 'messages traités')}" + (f" ({', '.join(done)})." if done else ".")
        )
