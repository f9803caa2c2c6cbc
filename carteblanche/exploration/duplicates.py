"""Near-duplicate irritants: the same complaint written twice, give or take a few words.

Two texts are near-duplicates when they share the same normalised text (fingerprint), or when the cosine
similarity of their TF-IDF vectors (words and word pairs, accents and case folded) reaches THRESHOLD.
The index of an operation's irritants is built once and kept in memory until an irritant is added or
changed (the key is the count and the last modification date), so checking as one types costs a few
milliseconds even with 16,000 irritants.
"""

import threading
import time
from dataclasses import dataclass

from django.db.models import Max

from .enums import IrritantStatus
from .models import Irritant, normalize_text
from .stopwords import FRENCH_STOP_WORDS

THRESHOLD = 0.8
CANDIDATE_SCORE = 0.5
BLOCK = 1000
SUGGESTION_THRESHOLD = 0.3
STALE_AFTER_SECONDS = 600
_cache: dict[int, tuple[tuple, float, object, object, list[int]]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Match:
    irritant_id: int
    score: float


def preload() -> None:
    """Import the vectoriser's library now (a web worker at start-up) rather than in someone's request."""
    import sklearn.feature_extraction.text  # noqa: F401


def _vectorizer():
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        preprocessor=normalize_text,
        stop_words=list(FRENCH_STOP_WORDS),
        token_pattern=r"(?u)\b\w\w+\b",
        ngram_range=(1, 2),
        min_df=1,
        sublinear_tf=True,
    )


def _index(operation_id: int, allow_stale: bool = False):
    """The TF-IDF index of the operation's irritants. ``allow_stale``: an index up to ten minutes old is
    good enough (checking one new text must not rebuild the index of 16,000 others)."""
    with _lock:
        cached = _cache.get(operation_id)
    if allow_stale and cached and time.monotonic() - cached[1] < STALE_AFTER_SECONDS:
        return cached[2:]
    queryset = Irritant.objects.filter(operation_id=operation_id).exclude(status=IrritantStatus.MERGED)
    state = queryset.aggregate(n=Max("pk"), m=Max("updated_at"))
    key = (queryset.count(), state["n"], state["m"])
    if cached and cached[0] == key:
        return cached[2:]
    rows = list(queryset.values_list("pk", "title", "description"))
    ids = [pk for pk, _, _ in rows]
    texts = [f"{title} {description}" for _, title, description in rows]
    if not texts:
        return None, None, []
    vectorizer = _vectorizer()
    matrix = vectorizer.fit_transform(texts)
    with _lock:
        _cache[operation_id] = (key, time.monotonic(), vectorizer, matrix, ids)
    return vectorizer, matrix, ids


def similar_irritants(
    operation_id: int,
    text: str,
    *,
    limit=5,
    threshold=SUGGESTION_THRESHOLD,
    exclude: int | None = None,
    allow_stale: bool = False,
) -> list[Match]:
    """Irritants of the operation close to ``text``, best first (for the form, as one types)."""
    if len(normalize_text(text)) < 12:
        return []
    vectorizer, matrix, ids = _index(operation_id, allow_stale=allow_stale)
    if vectorizer is None:
        return []
    scores = (matrix @ vectorizer.transform([text]).T).toarray().ravel()
    order = scores.argsort()[::-1][: limit + 1]
    return [Match(ids[i], float(scores[i])) for i in order if scores[i] >= threshold and ids[i] != exclude][:limit]


def flag_if_duplicate(irritant) -> None:
    """Mark a new irritant as a probable duplicate of the closest existing one, if close enough."""
    matches = similar_irritants(
        irritant.operation_id,
        irritant.full_text,
        threshold=THRESHOLD,
        exclude=irritant.pk,
        limit=1,
        allow_stale=True,
    )
    live = Irritant.objects.filter(operation_id=irritant.operation_id).exclude(status=IrritantStatus.MERGED)
    if matches and live.filter(pk=matches[0].irritant_id).exists():
        Irritant.objects.filter(pk=irritant.pk).update(possible_duplicate_of_id=matches[0].irritant_id)
        irritant.possible_duplicate_of_id = matches[0].irritant_id


def find_duplicates(existing: list[tuple[int, str]], new_texts: list[str], threshold=THRESHOLD):
    """For each new text, its best near-duplicate among ``existing`` (id, text) or among the new texts
    before it: a list of (kind, id_or_index, score) or None, kind being "existant" or "fichier".

    Exact copies (same normalised text) are found by hashing; near copies by TF-IDF cosine (see below)."""
    if not new_texts:
        return []
    import numpy as np

    results: list = [None] * len(new_texts)
    seen: dict[str, tuple[str, int]] = {}
    for pk, text in existing:
        seen.setdefault(normalize_text(text), ("existant", pk))
    for row, text in enumerate(new_texts):
        key = normalize_text(text)
        if key in seen:
            results[row] = (*seen[key], 1.0)
        else:
            seen[key] = ("fichier", row)

    texts = [t for _, t in existing] + list(new_texts)
    matrix = _vectorizer().fit_transform(texts).tocsr()
    n_old, n_all = len(existing), len(texts)
    # Candidates: pairs whose similarity on informative terms (in at most 10 % of the texts) is already
    # high; then the full cosine. Done by blocks of new texts, so memory stays bounded.
    frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    informative = np.where(frequency <= max(2, int(0.1 * n_all)))[0]
    restricted = matrix[:, informative].tocsr()
    restricted_t = restricted.T.tocsr()
    best: dict[int, tuple[float, int]] = {}
    for block_start in range(0, len(new_texts), BLOCK):
        block = restricted[n_old + block_start : n_old + block_start + BLOCK]
        partial = (block @ restricted_t).tocoo()
        rows, cols = partial.row, partial.col
        keep = partial.data >= CANDIDATE_SCORE
        rows, cols = rows[keep], cols[keep]
        absolute = rows + block_start  # index among the new texts
        earlier = (cols < n_old) | (cols < n_old + absolute)
        rows, cols, absolute = rows[earlier], cols[earlier], absolute[earlier]
        if len(rows) == 0:
            continue
        scores = np.asarray(matrix[n_old + absolute].multiply(matrix[cols]).sum(axis=1)).ravel()
        for row, col, score in zip(absolute.tolist(), cols.tolist(), scores.tolist(), strict=True):
            if score >= threshold and score > best.get(row, (0.0, 0))[0]:
                best[row] = (score, col)
    for row, (score, col) in best.items():
        if results[row] is not None:
            continue
        results[row] = ("existant", existing[col][0], score) if col < n_old else ("fichier", col - n_old, score)
    return results
