"""Background screening: every person whose consent allows it, in a territory, or those an import touched."""

from celery.signals import worker_init
from django.conf import settings

from carteblanche.core.french import plural
from carteblanche.core.jobs import JobFailed, JobTask
from carteblanche.core.models import Job
from carteblanche.territories.models import Organisation
from config.celery import app

from . import engine, services
from .access import Reader, open_files
from .models import AssessmentTrigger, Person, RightsAssessment
from .notify import tell_probable_rights
from .screening import CHUNK_SIZE
from .situations import situation_from_file

# Files loaded and computed per round: two simulations' worth, so that screening.screen() spreads each round
# over the worker processes of a 2-core machine (one chunk per call would run in-process only). Each round's
# assessments are saved before the next starts: a screening taken up after its worker died starts from there.
BATCH = 2 * CHUNK_SIZE


def batch_size() -> int:
    return getattr(settings, "RIGHTS_SCREENING_BATCH", None) or BATCH


@worker_init.connect
def _load_rules(**kwargs):
    """Load the French rules once in the Celery parent, before it forks its pool: children share them."""
    engine.tax_benefit_system()


def _reader(job) -> Reader:
    """The screening reads for the organisations of whoever started it: only files whose consent names one."""
    ids = job.params.get("organisations")
    organisations = Organisation.objects.filter(pk__in=ids, territory=job.territory) if ids is not None else None
    return Reader.screening(job.territory, user=job.created_by, organisations=organisations)


def _screen(job, persons, trigger) -> dict:
    reader = _reader(job)
    month = services.current_month()
    ids = list(Person.objects.readable_by(reader).filter(pk__in=[p.pk for p in persons]).values_list("pk", flat=True))
    # Taken up after its worker died: the files it already examined (and told) are not examined again.
    earlier = RightsAssessment.objects.filter(job=job, person_id__in=ids)
    already = set(earlier.values_list("person_id", flat=True))
    total, done = len(ids), len(already)
    assessed, unclaimed_total = len(already), float(sum(earlier.values_list("unclaimed_total", flat=True)))
    told = job.result.get("personnes_informees", 0) if already else 0
    ids = [pk for pk in ids if pk not in already]
    job.set_progress(int(100 * done / max(total, 1)), f"{done} / {total} dossiers")
    from .screening import screen

    size = batch_size()
    for start in range(0, len(ids), size):
        batch = ids[start : start + size]
        files = open_files(reader, Person.objects.filter(pk__in=batch), reason="Examen automatique des droits")
        situations = [situation_from_file(f, month) for f in files]

        def progress(computed, _total, done=done):
            # Computing is most of the time: the bar moves with each simulation, not only at each round.
            job.set_progress(
                int(100 * (done + computed) / max(total, 1) * 0.95), f"{done + computed} / {total} dossiers"
            )

        computed = screen(situations, month, progress=progress)
        previous = {
            a.person_id: a
            for a in RightsAssessment.objects.filter(person__in=[f.person for f in files]).order_by(
                "person", "computed_at"
            )
        }
        for file, situation, result in zip(files, situations, computed, strict=True):
            assessment = services.store(
                file.person, month, services.evaluation_of(result, situation, month), trigger, file.categories, job=job
            )
            assessed += 1
            unclaimed_total += float(assessment.unclaimed_total)
            before = previous.get(file.person.pk)
            new = {r["benefit"] for r in assessment.unclaimed} - {
                r["benefit"] for r in (before.unclaimed if before else [])
            }
            if new and tell_probable_rights(file.person, assessment, reader):
                told += 1
        done += len(batch)
        Job.objects.filter(pk=job.pk).update(result={"personnes_informees": told})  # kept for a resumption
        job.set_progress(int(100 * done / max(total, 1)), f"{done} / {total} dossiers")
    return {
        "dossiers_examines": assessed,
        "personnes_informees": told,
        "non_percus_euros_par_mois": round(unclaimed_total, 2),
    }


@app.task(base=JobTask, bind=True, name="rights.screen_territory")
def screen_territory(self, job):
    if job.territory is None:
        raise JobFailed("Aucun territoire n'est indiqué.")
    persons = Person.objects.filter(territory=job.territory)
    return _screen(job, persons, AssessmentTrigger.SCREENING)


@app.task(base=JobTask, bind=True, name="rights.import_file")
def import_file(self, job):
    """Import a file an organisation sent, then examine again the rights of the persons it updated."""
    from .enums import ImportStatus
    from .importers import run_import
    from .models import DataImport

    pending = DataImport.objects.filter(pk=job.params["import"], status=ImportStatus.PENDING).first()
    if pending is None:
        raise JobFailed("Ce fichier a déjà été traité, ou n'est plus disponible : déposez-le à nouveau.")
    job.set_progress(5, "Vérification du fichier")
    data_import, updated = run_import(
        territory=pending.territory,
        organisation=pending.organisation,
        kind=pending.kind,
        file_name=pending.file_name,
        data=bytes(pending.content),
        user=pending.created_by,
        pending=pending,
    )
    result = {
        "import": data_import.pk,
        "territoire": pending.territory.slug,
        "lignes": data_import.rows,
        "mis_a_jour": data_import.updated_persons,
        "sans_consentement": data_import.skipped_no_consent,
        "inconnus": data_import.unknown_persons,
        "nombre_erreurs": len(data_import.errors),
    }
    if data_import.errors:
        job.result = result
        job.save(update_fields=["result"])
        raise JobFailed(f"{plural(len(data_import.errors), 'erreur')} : rien n'a été importé. Corrigez le fichier.")
    if updated:
        job.set_progress(50, "Nouvel examen des droits des dossiers mis à jour")
        persons = Person.objects.filter(territory=job.territory, pk__in=updated)
        result.update(_screen(job, persons, AssessmentTrigger.IMPORT))
    return result


def start_import(*, reader: Reader, kind: str, upload):
    """A file an organisation sends, kept as it came and checked then written by the import job."""
    from carteblanche.core.jobs import start_job

    from .enums import ImportStatus
    from .models import DataImport

    pending = DataImport.objects.create(
        territory=reader.territory,
        organisation=reader.organisation,
        kind=kind,
        file_name=upload.name[:255],
        status=ImportStatus.PENDING,
        content=upload.read(),
        created_by=reader.user,
    )
    return start_job(
        import_file,
        label=f"Import {pending.get_kind_display().split(' :')[0]} n° {pending.pk}",
        user=reader.user,
        territory=reader.territory,
        params={"import": pending.pk, "organisations": [o.pk for o in reader.organisations]},
    )


@app.task(base=JobTask, bind=True, name="rights.what_if")
def what_if(self, job):
    """A what-if at the counter, in the background: OpenFisca may take seconds (its rules load once per process).
    The agent who started it reads her own file again, under the consent that holds now."""
    from django.core.exceptions import PermissionDenied

    from .access import ConsentMissing, person_for

    try:
        reader = Reader.agent(job.created_by, job.territory)
        person = person_for(reader, job.params["person"], reason="Simulation d'un changement de situation")
        scenario = services.scenario_from_json(job.params["scenario"])
        outcome = services.what_if(reader, person, scenario, progress=job.set_progress)
    except (ConsentMissing, PermissionDenied) as refusal:
        raise JobFailed(str(refusal)) from refusal
    except ValueError as error:
        raise JobFailed(str(error)) from error
    return {"outcome": services.outcome_to_json(outcome)}
