"""Where samples run: in this process (``serial``), on a local process pool (``process``, the default) or on Ray
(``ray``: a local instance limited to `workers` CPUs, or an existing cluster at `ray_address`).

Every executor runs the same function (`run_sample`) on the same plain-data tasks and hands each row to `on_result`
as soon as it is finished (the coordinator caches it then: what makes a killed evaluation resumable). A sample's
exception comes back as an error row; a worker that dies (a segfault, the OOM killer) costs only its own samples.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from airloop.agents.models import LLAMACPP_THREADS_ENV, ModelConfig, embedded_model_loaded, usable_cpus

from ._sample import _error_row, run_sample

__all__ = ["EXECUTORS", "default_workers", "execute"]

EXECUTORS = ("process", "ray", "serial")
OnResult = Callable[[dict[str, Any]], None]
#: How often a process pool is rebuilt after a worker died before the samples left are recorded as errors.
MAX_POOL_RESTARTS = 2


def default_workers() -> int:
    return usable_cpus()


def threads_per_worker(workers: int) -> int:
    """llama.cpp threads for each of `workers` processes sharing this machine's CPUs (`AIRLOOP_LLAMACPP_THREADS`
    if the user set it). llama.cpp's threads spin-wait at every barrier, so processes that together ask for more
    threads than there are cores slow each other down far more than they gain: on 2 cores, 2 processes x 2 threads
    ran the same prompts 2.7x slower than 2 x 1."""
    chosen = ModelConfig.from_env().llamacpp_threads  # a bad value is a clear ModelError here, before anything runs
    return chosen or max(1, usable_cpus() // max(1, workers))


def run_sample_with_threads(task: dict[str, Any], threads: int) -> dict[str, Any]:
    """`run_sample` in a worker whose embedded model uses `threads` threads (read by `ModelConfig.from_env`)."""
    os.environ[LLAMACPP_THREADS_ENV] = str(threads)
    return run_sample(task)


def execute(tasks: list[dict[str, Any]], on_result: OnResult, *, executor: str = "process",
            workers: int | None = None, ray_address: str | None = None) -> None:
    """Run every task and call `on_result(row)` once per task, in completion order."""
    workers = workers or default_workers()
    if not tasks:
        return
    if executor == "serial":
        for t in tasks:
            on_result(run_sample(t))
    elif executor == "process":
        _process_pool(tasks, on_result, workers)
    elif executor == "ray":
        _ray(tasks, on_result, workers, ray_address)
    else:
        raise ValueError(f"unknown executor {executor!r}; choose one of {', '.join(EXECUTORS)}")


def _process_pool(tasks: list[dict[str, Any]], on_result: OnResult, workers: int) -> None:
    ctx = _mp_context()
    left = list(tasks)
    for attempt in range(MAX_POOL_RESTARTS + 1):
        broken: list[dict[str, Any]] = []
        n = min(workers, len(left))
        threads = threads_per_worker(n)
        with ProcessPoolExecutor(max_workers=n, mp_context=ctx) as pool:
            futures: dict[Future[dict[str, Any]], dict[str, Any]] = {
                pool.submit(run_sample_with_threads, t, threads): t for t in left}
            pending = set(futures)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    try:
                        on_result(f.result())
                    except BrokenProcessPool:
                        broken.append(futures[f])
        if not broken:
            return
        left = broken
        if attempt == MAX_POOL_RESTARTS:
            for t in left:
                on_result(_error_row(t, "BrokenProcessPool: a worker process died while this sample was pending "
                                        f"({MAX_POOL_RESTARTS + 1} pools tried)"))


def _mp_context() -> multiprocessing.context.BaseContext:
    """fork when it is safe, else spawn.

    A spawned worker imports airloop's agent stack afresh (LangGraph, LangChain, optuna: ~4 s of CPU each, which on
    2 cores eats most of a small grid's speed-up); a forked one inherits the coordinator's imports. Forking is safe
    while the coordinator runs a single thread (a fork copies locks held by other threads) and holds no loaded
    embedded model (a forked worker would inherit it without llama.cpp's threads and hang in its first decode);
    otherwise spawn.
    """
    if ("fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
            and not embedded_model_loaded()):
        import airloop.app  # noqa: F401  (imported once here, inherited by every worker)
        import airloop.evaluation._judge  # noqa: F401

        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _ray(tasks: list[dict[str, Any]], on_result: OnResult, workers: int, address: str | None) -> None:
    try:
        import ray
    except ImportError as e:
        raise RuntimeError("the ray executor needs Ray: pip install 'airloop[ray]'") from e
    started = False
    if not ray.is_initialized():
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            # A private local instance: only `workers` CPUs, no dashboard, a small object store (rows are small).
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False,
                     object_store_memory=100 * 1024 * 1024, configure_logging=False)
        started = True
    try:
        # Each task holds one CPU, so its embedded model gets one thread (unless the user set a count).
        threads = threads_per_worker(usable_cpus())  # = 1, or the count the user set
        remote = ray.remote(num_cpus=1, max_retries=0)(run_sample_with_threads)
        refs = {remote.remote(t, threads): t for t in tasks}
        pending = list(refs)
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            for ref in done:
                try:
                    row = ray.get(ref)
                except Exception as e:  # a worker that died: RayTaskError / WorkerCrashedError
                    row = _error_row(refs[ref], f"{type(e).__name__}: {e}")
                on_result(row)
    finally:
        if started:
            ray.shutdown()
