"""Rights of a whole population: ``engine.compute`` over chunks of households, in parallel processes.

Pure computation on ``HouseholdSituation`` lists: no database. One OpenFisca simulation per chunk bounds the
memory of each process (a simulation keeps every intermediate variable of every household it computes), and
the chunks run in forked worker processes, so a 2-core machine computes two at a time.

The rules are loaded, and warmed on one household, in the calling process before it forks: the workers share
them copy-on-write instead of loading them again. The workers only compute: they never touch the database or
the connections they inherit (closing an inherited PostgreSQL connection would end the parent's session), and
they leave through ``os._exit`` as multiprocessing's workers do, so nothing of Django's is finalised there.
``progress`` runs in the calling thread, which may use the database. Works from a thread of a web process and
from a Celery task (see ``_allow_children``).
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed

from . import engine

# Households per simulation. A simulation costs about 0.3 s whatever its size, plus about 0.3 ms and 100 kB per
# household. 50,000 households on 2 cores (bench/rights.py, summed RSS of all processes): 2,000 a chunk 26 s and
# 1.36 GB, 4,000 22 s and 1.55 GB, 6,000 22 s and 1.75 GB. 4,000 is the knee.
CHUNK_SIZE = 4000


def screen(
    households: list[engine.HouseholdSituation],
    month: datetime.date,
    *,
    chunk_size: int = CHUNK_SIZE,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[engine.Computed]:
    """Rights of every household for ``month``, in input order; ``progress(done, total)`` after each chunk.

    ``workers`` processes (default: one per core, at most one per chunk); 1 computes here, without a pool.
    """
    # Households alike in what OpenFisca can skip (nobody disabled, nobody near retirement age...) are computed
    # together, so that a whole chunk skips it (``engine.nil_benefits_key``); the answers come back in input order.
    order = sorted(range(len(households)), key=lambda i: engine.nil_benefits_key(households[i], month))
    ordered = [households[i] for i in order]
    chunks = [ordered[i : i + chunk_size] for i in range(0, len(ordered), chunk_size)]
    workers = min(workers or os.cpu_count() or 1, len(chunks))
    results: list[list[engine.Computed]] = [[] for _ in chunks]
    done = 0
    for index, computed in _run(chunks, month, workers):
        results[index] = computed
        done += len(computed)
        if progress:
            progress(done, len(households))
    answers: list[engine.Computed | None] = [None] * len(households)
    for position, computed in zip(order, (c for chunk in results for c in chunk), strict=True):
        answers[position] = computed
    return answers


def _run(chunks, month, workers) -> Iterator[tuple[int, list[engine.Computed]]]:
    """(index, results) of each chunk, as they complete."""
    if workers <= 1:
        for index, chunk in enumerate(chunks):
            yield index, _compute(chunk, month)
        return
    _warm_up(chunks[0][:1], month)
    # What the parent holds (the rules, the parameters of the month) leaves the collector's generations before the
    # fork: no collection in a worker touches those objects, so their pages stay shared between the processes.
    gc.collect()
    gc.freeze()
    executor = ProcessPoolExecutor(workers, mp_context=_context(), initializer=_start_worker, initargs=(os.getpid(),))
    try:
        with _allow_children():  # with "fork", every worker starts at the first submit
            futures = {executor.submit(_compute, chunk, month): index for index, chunk in enumerate(chunks)}
        for future in as_completed(futures):
            yield futures[future], future.result()
    finally:
        executor.shutdown(cancel_futures=True)
        gc.unfreeze()


def _compute(chunk: list[engine.HouseholdSituation], month: datetime.date) -> list[engine.Computed]:
    computed = engine.compute(chunk, month)
    # A simulation is a cycle of objects (simulation, populations, holders) that keeps every array it computed.
    # Left to the garbage collector's pace, they pile up (1.5 GB after six chunks of 2,000): free each one now.
    gc.collect()
    return computed


_warm_months: set[datetime.date] = set()


def _warm_up(sample: list[engine.HouseholdSituation], month: datetime.date):
    """Load the rules and compute one household before forking. The first simulation of a month builds the
    parameters of every instant it reads (about 4 s, 100 MB): built once here, the workers share them instead
    of each building its own. Once per month and process: later calls fork from the warm state."""
    engine.tax_benefit_system()
    if month not in _warm_months:
        engine.compute(sample, month)
        _warm_months.add(month)


def _context():
    """Fork where the platform has it: the workers inherit the loaded rules."""
    return multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)


def _start_worker(parent: int):
    # What the worker inherited stays out of its own garbage collections, so those pages stay shared.
    gc.freeze()
    if sys.platform == "linux":
        # Die with the parent, even killed (a Celery time limit, the OOM killer): an orphaned worker would wait
        # on the task queue forever, holding its memory. PR_SET_PDEATHSIG is 1.
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


@contextlib.contextmanager
def _allow_children():
    """Celery's prefork pool runs tasks in daemonic processes, from which multiprocessing refuses to start
    children. Ours never outlive ``screen`` (shut down before it returns, killed if it dies): lift the flag
    while they start."""
    config = multiprocessing.current_process()._config
    daemon = config.pop("daemon", None)
    try:
        yield
    finally:
        if daemon is not None:
            config["daemon"] = daemon
