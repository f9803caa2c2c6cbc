import datetime

from carteblanche.core.jobs import JobFailed, JobTask
from carteblanche.territories.models import Territory
from config.celery import app

from . import services
from .models import TourPlan


@app.task(base=JobTask, bind=True, name="mobility.plan_tours")
def plan_tours(self, job):
    """Solve the bus tours of a territory; progress follows the solver's clock."""
    territory = Territory.objects.get(pk=job.territory_id)
    plan = TourPlan.objects.filter(job=job).first()
    if plan is None:  # else saved by an attempt whose worker died before it could say so: not solved twice
        plan = _solve(job, territory)
    return {
        "plan": plan.pk,
        "territoire": territory.slug,
        "passages": plan.visits.count(),
        "non_desservis": len(plan.dropped),
        "deplaces": len(plan.moved),
    }


def _solve(job, territory):
    job.set_progress(2, "Préparation des arrêts et des temps de trajet")

    def progress(share):
        job.set_progress(5 + int(share * 90), "Recherche des meilleures tournées")

    try:
        plan = services.make_plan(
            territory,
            period_start=datetime.date.fromisoformat(job.params["period_start"]),
            user=job.created_by,
            job=job,
            progress=progress,
        )
    except services.PlanError as exc:
        raise JobFailed(str(exc)) from exc
    job.set_progress(100, "Plan enregistré")
    return plan


@app.task(name="mobility.send_ride_reminders")
def send_ride_reminders():
    """Every evening (Celery beat, or the send_ride_reminders command from cron): tomorrow's rides."""
    from . import rides

    return rides.send_reminders()
