from carteblanche.core.jobs import JobTask
from config.celery import app

from .access import BANDS, NO_SITE_BAND, compute_access, population_beyond
from .enums import Weekday
from .models import Territory
from .selectors import all_sites, territory_communes


@app.task(base=JobTask, bind=True, name="territories.access_week")
def access_week(self, job):
    """Access to the nearest open site for each weekday: how many people are far from any service."""
    territory = Territory.objects.get(pk=job.territory_id)
    communes = list(territory_communes(territory))
    sites = all_sites()
    days = []
    for weekday in Weekday:
        job.set_progress(int(weekday) * 100 // 7, f"Calcul du {weekday.label}")
        rows = compute_access(communes, sites, weekday)
        days.append(
            {
                "jour": weekday.label,
                "sites_ouverts": sum(1 for s in sites if s.serves_access_on(weekday)),
                "population_20km": population_beyond(rows, 20),
                "population_30km": population_beyond(rows, 30),
                "communes_sans_site": sum(1 for r in rows if r.site is None),
                "classes": {
                    band.label: sum(r.commune.population for r in rows if r.band.key == band.key)
                    for band in (*BANDS, NO_SITE_BAND)
                },
            }
        )
    return {"territoire": territory.name, "population": sum(c.population for c in communes), "jours": days}
