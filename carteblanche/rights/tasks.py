"""Background screening: every person whose consent allows it, in a territory, or those an import touched."""

from carteblanche.core.jobs import JobFailed, JobTask
from config.celery import app

from . import engine, services
from .access import Reader, open_files
from .models import AssessmentTrigger, Person, RightsAssessment
from .notify import tell_probable_rights
from .situations import single_parent_assumption, situation_from_file

BATCH = 2000


def _screen(job, persons, trigger) -> dict:
    territory = job.territory
    reader = Reader.screening(territory, user=job.created_by)
    month = services.current_month()
    ids = list(Person.objects.readable_by(reader).filter(pk__in=[p.pk for p in persons]).values_list("pk", flat=True))
    total, done, assessed, told, unclaimed_total = len(ids), 0, 0, 0, 0.0
    job.set_progress(0, f"0 / {total} dossiers")
    from .screening import screen

    for start in range(0, total, BATCH):
        chunk = Person.objects.filter(pk__in=ids[start : start + BATCH])
        files = open_files(reader, chunk, reason="Examen automatique des droits")
        situations = [situation_from_file(f, month) for f in files]
        computed = screen(situations, month)
        previous = {
            a.person_id: a
            for a in RightsAssessment.objects.filter(person__in=[f.person for f in files]).order_by(
                "person", "computed_at"
            )
        }
        for file, situation, result in zip(files, situations, computed, strict=True):
            prepared = engine.prepare(situation, month)
            prepared.assumptions.extend(single_parent_assumption(situation))
            evaluation = services._evaluation(result, prepared, situation, month)
            assessment = services.store(file.person, month, evaluation, trigger)
            assessed += 1
            unclaimed_total += float(assessment.unclaimed_total)
            before = previous.get(file.person.pk)
            new = {r["benefit"] for r in assessment.unclaimed} - {
                r["benefit"] for r in (before.unclaimed if before else [])
            }
            if new and tell_probable_rights(file.person, assessment, reader):
                told += 1
        done += len(chunk)
        job.set_progress(int(100 * done / max(total, 1)), f"{done} / {total} dossiers")
    return {
        "dossiers examinés": assessed,
        "personnes informées": told,
        "droits non perçus (€/mois)": round(unclaimed_total, 2),
    }


@app.task(base=JobTask, bind=True, name="rights.screen_territory")
def screen_territory(self, job):
    if job.territory is None:
        raise JobFailed("Aucun territoire n'est indiqué.")
    persons = Person.objects.filter(territory=job.territory)
    return _screen(job, persons, AssessmentTrigger.SCREENING)


@app.task(base=JobTask, bind=True, name="rights.rescreen_persons")
def rescreen_persons(self, job):
    persons = Person.objects.filter(territory=job.territory, pk__in=job.params.get("persons", []))
    return _screen(job, persons, AssessmentTrigger.IMPORT)
