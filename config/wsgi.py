import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")  # manage.py picks dev
application = get_wsgi_application()

# What a first request would otherwise import (about 1 s: scikit-learn, for the near-duplicates of a resident's
# report): loaded here, once, before the worker serves anyone (bench/load.py: p95 of « signalement — envoi »).
from carteblanche.exploration import duplicates  # noqa: E402

duplicates.preload()

# Objects alive once the application is loaded (modules, templates, settings) live as long as the worker:
# moving them out of the garbage collector's sight removes most of the long pauses of full collections
# (p95 of the whole-Lot territory page: see BENCHMARKS.md).
gc.collect()
gc.freeze()
