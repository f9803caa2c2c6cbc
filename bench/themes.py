#!/usr/bin/env python
"""Benchmark of the theme analysis on real French text.

    .venv/bin/python bench/themes.py [CSV] [--label question_id] [--limit N]

CSV: any file with ``id`` and ``text`` columns and, optionally, a label column (default ``question_id``);
default ../shared/data/contributions_sample.csv (15,994 Grand Débat answers to 19 questions). The label is
never given to the analysis: it only measures, at the end, how close the themes found are to it (adjusted
mutual information, 0 = chance, 1 = identical). ``--limit`` analyses a random sample (seed 0) of N rows.

Runs on a fresh SQLite database: import (the real importer), encoding (the real encoder, every vector
stored), clustering and labelling (the real analysis, which then reuses the stored vectors). Prints the
figures, the AMI last as ``AMI=0.xxx``.
"""

import argparse
import csv
import io
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CSV = ROOT.parent / "shared" / "data" / "contributions_sample.csv"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--label", default="question_id", help="label column, for the AMI only")
    parser.add_argument("--limit", type=int, default=None, help="analyse a random sample of N rows")
    args = parser.parse_args()
    if not args.csv.exists():
        print(f"Fichier introuvable : {args.csv}", file=sys.stderr)
        return 2

    tmp = tempfile.TemporaryDirectory()
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/themes.sqlite3"
    sys.path.insert(0, str(Path(__file__).parent))
    from common import setup_django

    setup_django()
    import datetime

    from sklearn.metrics import adjusted_mutual_info_score

    from carteblanche.exploration import importers, themes
    from carteblanche.exploration.models import Irritant
    from carteblanche.operations import services as operation_services
    from carteblanche.territories.models import Territory

    raw_rows = list(csv.DictReader(io.StringIO(args.csv.read_text(encoding="utf-8-sig"))))
    if args.limit and args.limit < len(raw_rows):
        random.Random(0).shuffle(raw_rows)
        raw_rows = raw_rows[: args.limit]
    labels = {row["id"]: row.get(args.label, "") for row in raw_rows}
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["id", "text"])
    writer.writeheader()
    writer.writerows({"id": row["id"], "text": row["text"]} for row in raw_rows)  # nothing else goes in
    print(f"fichier: {args.csv.name} — {len(raw_rows)} textes — étiquette: {args.label} (jamais utilisée en entrée)")
    print(f"machine: {os.uname().nodename} — {os.cpu_count()} cœurs", flush=True)

    operation = operation_services.operation_create(
        territory=Territory.objects.get(slug="bassin-de-vie-de-cahors"),
        name="Banc d'essai des thèmes",
        slug="banc-themes",
        start_date=datetime.date.today(),
    )
    start = time.perf_counter()
    report = importers.import_irritants(operation=operation, raw=buffer.getvalue().encode(), file_name=args.csv.name)
    import_s = time.perf_counter() - start
    print(f"import: {import_s:.1f} s — {report.created} irritants, {len(report.duplicates)} doublons probables")

    texts = [i.full_text[:2000] for i in Irritant.objects.filter(operation=operation).order_by("pk")]
    last = [0.0]

    def progress(fraction, message):
        if fraction - last[0] >= 0.1:
            last[0] = fraction
            print(f"  … {message}", flush=True)

    start = time.perf_counter()
    _, encoded, reused = themes.embeddings_for(texts, progress=progress)
    encode_s = time.perf_counter() - start
    print(
        f"encodage: {encode_s:.1f} s — {encoded} textes encodés, {reused} réutilisés — "
        f"{encoded / encode_s if encode_s else 0:.1f} textes/s"
    )

    start = time.perf_counter()
    result = themes.run_analysis(operation)
    cluster_s = time.perf_counter() - start
    print(
        f"regroupement et description: {cluster_s:.1f} s — {result.themes} thèmes "
        f"(vecteurs relus: {result.reused}, nouveaux: {result.encoded})"
    )
    print(f"total analyse: {encode_s + cluster_s:.1f} s ; import compris: {import_s + encode_s + cluster_s:.1f} s")
    print(f"mémoire de pointe: {peak_mb():.0f} Mo")

    rows = Irritant.objects.filter(operation=operation).values_list("external_id", "theme_id")
    found = [theme for external_id, theme in rows]
    truth = [labels[external_id] for external_id, _ in rows]
    if any(truth):
        print(f"AMI={adjusted_mutual_info_score(truth, found):.3f}")
    else:
        print("AMI=indisponible (pas de colonne d'étiquette)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
