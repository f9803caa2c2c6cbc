from django.db import transaction

from carteblanche.core.french import plural
from carteblanche.core.jobs import JobFailed, JobTask
from carteblanche.operations.models import Operation
from config.celery import app

from . import importers, themes
from .models import PendingImport, ThemeAnalysis


@app.task(base=JobTask, bind=True, name="exploration.theme_analysis")
def theme_analysis(self, job):
    """Encode what is missing, cluster, reconcile with the team's decisions. Resumable: a rerun after a
    worker died reuses every vector already stored."""
    operation = Operation.objects.get(pk=job.params["operation"])
    analysis, _ = ThemeAnalysis.objects.get_or_create(job=job, defaults={"operation": operation})
    if analysis.finished_at is None:
        result = themes.run_analysis(
            operation,
            analysis=analysis,
            progress=lambda fraction, message: job.set_progress(int(fraction * 100), message),
        )
    else:  # finished by an attempt whose worker died before it could say so: not computed twice
        result = themes.AnalysisResult(
            texts=analysis.texts,
            encoded=analysis.encoded,
            reused=analysis.reused,
            themes=analysis.themes,
            kept_by_hand=0,
        )
    return {
        "textes": result.texts,
        "encodes": result.encoded,
        "reutilises": result.reused,
        "themes": result.themes,
        "places_par_l_equipe": result.kept_by_hand,
        "analyse": analysis.pk,
        "operation": operation.slug,
    }


@app.task(base=JobTask, bind=True, name="exploration.import_irritants")
def import_irritants(self, job):
    pending = PendingImport.objects.filter(pk=job.params["pending"]).first()
    if pending is None:
        raise JobFailed("Le fichier déposé n'est plus disponible : déposez-le à nouveau.")
    try:
        # The import and the removal of the uploaded file commit together: a redelivered task finds nothing.
        with transaction.atomic():
            report = importers.import_irritants(
                operation=pending.operation,
                raw=bytes(pending.content),
                file_name=pending.file_name,
                source_label=pending.source_label,
                actor=pending.created_by,
                progress=lambda fraction, message: job.set_progress(int(fraction * 100), message),
            )
            pending.delete()
    except importers.ImportRejected as exc:
        pending.delete()  # nothing kept of a rejected file: the errors below say what to correct
        job.result = {
            "erreurs": [str(e) for e in exc.errors[:500]],
            "nombre_erreurs": len(exc.errors),
            "operation": pending.operation.slug,
        }
        job.save(update_fields=["result"])
        raise JobFailed(
            f"{plural(len(exc.errors), 'ligne')} en erreur : rien n'a été importé. Corrigez le fichier."
        ) from exc
    return {
        "lignes": report.rows,
        "crees": report.created,
        "deja_importes": report.skipped,
        "doublons": report.duplicates[:500],
        "nombre_doublons": len(report.duplicates),
        "import": report.batch_id,
        "operation": pending.operation.slug,
    }
