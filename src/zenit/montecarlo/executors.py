"""Where chunks of replications run: in this process, in local worker processes, or on Dask.

Every executor shares one delivery loop (`Executor.map`): it keeps a bounded number of
chunks in flight, hands each finished table to the caller in completion order, retries a
failed chunk (an exception or a lost worker) up to `retries` times, and never delivers the
same chunk index twice. Implementations only say how to submit, wait and cancel.

The work function runs in another process for the process and Dask executors, so it must be
picklable (a module-level function or an instance of a module-level class).
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import pickle
import signal
from abc import ABC, abstractmethod
from collections import deque
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from zenit.errors import UserError, ZenitError, did_you_mean
from zenit.montecarlo.chunking import Chunk

Work = Callable[[Chunk], Any]
OnResult = Callable[[Chunk, Any], None]

DEFAULT_RETRIES = 2
DEFAULT_CONNECT_TIMEOUT_S = 30.0  # to reach a Dask scheduler
EXECUTOR_KINDS = ("process", "inprocess", "dask")


class ChunkFailedError(ZenitError):
    """A chunk failed on every attempt; the run stops and names it."""

    def __init__(self, chunk: Chunk, attempts: int, error: BaseException):
        self.chunk = chunk
        self.attempts = attempts
        self.error = error
        super().__init__(
            f"chunk {chunk.index} (replications {chunk.start} to {chunk.stop - 1}) failed "
            f"after {attempts} attempt{'s' if attempts != 1 else ''}: "
            f"{type(error).__name__}: {error}"
        )


@dataclass
class _Delivery:
    """Where one `Executor.map` call stands."""

    queue: deque
    attempts: dict[int, int] = field(default_factory=dict)
    delivered: set[int] = field(default_factory=set)
    in_flight: dict[Any, Chunk] = field(default_factory=dict)


class Executor(ABC):
    """Runs `work(chunk)` for many chunks and streams the results back to the parent."""

    def __init__(self, retries: int = DEFAULT_RETRIES):
        if retries < 0:
            raise ValueError(f"retries must be >= 0, got {retries}")
        self.retries = int(retries)

    @property
    def name(self) -> str:
        """A short label for the results store ("inprocess", "process:8", ...)."""
        return type(self).__name__

    def map(self, work: Work, chunks: Iterable[Chunk], on_result: OnResult) -> None:
        """Run every chunk; call `on_result(chunk, table)` here, as each one completes.

        On any exception (a chunk out of retries, a failing `on_result`, KeyboardInterrupt)
        the work still in flight is cancelled and the exception propagates; whatever was
        already delivered stays delivered.
        """
        run = _Delivery(deque(_unique_chunks(chunks)))
        self._open()
        capacity = self._capacity()
        try:
            while run.queue or run.in_flight:
                while run.queue and len(run.in_flight) < capacity:
                    chunk = run.queue.popleft()
                    run.attempts[chunk.index] = run.attempts.get(chunk.index, 0) + 1
                    run.in_flight[self._submit(work, chunk)] = chunk
                for handle in self._wait_any(list(run.in_flight)):
                    self._settle(handle, run, on_result)
        except BaseException:
            self._abandon(list(run.in_flight))
            raise

    def _settle(self, handle, run: _Delivery, on_result: OnResult) -> None:
        """Deliver a finished attempt once, or queue the chunk again while retries last."""
        chunk = run.in_flight.pop(handle)
        try:
            table = self._result(handle)
        except Exception as error:
            self._recover(handle, error)
            if run.attempts[chunk.index] > self.retries:
                raise ChunkFailedError(chunk, run.attempts[chunk.index], error) from error
            run.queue.appendleft(chunk)
            return
        if chunk.index not in run.delivered:
            run.delivered.add(chunk.index)
            on_result(chunk, table)

    def close(self) -> None:
        """Release workers or connections this executor started."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def _open(self) -> None:
        """Start workers if they are not running yet."""

    def _recover(self, handle, error: Exception) -> None:
        """Repair the executor after a failed attempt (a broken pool is replaced)."""

    @abstractmethod
    def _capacity(self) -> int:
        """How many chunks may be in flight at once."""

    @abstractmethod
    def _submit(self, work: Work, chunk: Chunk):
        """Start one attempt; return a handle for `_wait_any` and `_result`."""

    @abstractmethod
    def _wait_any(self, handles: list) -> list:
        """Block until at least one handle is done; return the done ones."""

    @abstractmethod
    def _result(self, handle):
        """The table of a done handle, or raise the attempt's error."""

    @abstractmethod
    def _abandon(self, handles: list) -> None:
        """Cancel work in flight after the run stopped."""


def _unique_chunks(chunks: Iterable[Chunk]) -> list[Chunk]:
    by_index: dict[int, Chunk] = {}
    for chunk in chunks:
        known = by_index.setdefault(chunk.index, chunk)
        if known != chunk:
            raise ValueError(f"two different chunks share index {chunk.index}: {known}, {chunk}")
    return list(by_index.values())


class InProcessExecutor(Executor):
    """Runs chunks one at a time in this process: for debugging, profiling and small runs."""

    @property
    def name(self) -> str:
        return "inprocess"

    def _capacity(self) -> int:
        return 1

    def _submit(self, work: Work, chunk: Chunk):
        future: concurrent.futures.Future = concurrent.futures.Future()
        try:
            future.set_result(work(chunk))
        except Exception as error:
            future.set_exception(error)
        return future

    def _wait_any(self, handles: list) -> list:
        return handles

    def _result(self, handle):
        return handle.result()

    def _abandon(self, handles: list) -> None:
        """Nothing runs in the background."""


def _start_worker(setup=None) -> None:
    """Worker initializer: Ctrl-C is the parent's to handle, so workers never die of it; then
    the work's own `worker_setup`, if it has one (see `LocalProcessExecutor`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if setup is not None:
        function, arguments = setup
        function(*arguments)


def default_start_method() -> str:
    """'forkserver' where the platform has it, else 'spawn': never plain fork, which copies
    the parent's threads and locks (Dask, BLAS) into the children."""
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods else "spawn"


class LocalProcessExecutor(Executor):
    """Runs chunks in a pool of local worker processes (one per CPU by default).

    A work object may offer `worker_setup()`, returning (function, arguments) that each worker
    runs once as it starts: the engine hands every worker the world the parent has already
    compiled, instead of each compiling it again.
    """

    def __init__(self, workers: int | None = None, retries: int = DEFAULT_RETRIES,
                 start_method: str | None = None):
        super().__init__(retries)
        self.workers = int(workers or os.cpu_count() or 1)
        if self.workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        self.start_method = start_method or default_start_method()
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._pool_of: dict[concurrent.futures.Future, Any] = {}
        self._worker_setup = None

    @property
    def name(self) -> str:
        return f"process:{self.workers}"

    def map(self, work: Work, chunks: Iterable[Chunk], on_result: OnResult) -> None:
        try:
            pickle.dumps(work)
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            raise ZenitError(
                f"the work function {work!r} cannot be sent to worker processes ({error}); "
                "make it a module-level function or an instance of a module-level class"
            ) from error
        setup = getattr(work, "worker_setup", None)
        setup = setup() if callable(setup) else None
        if self._pool is not None and (setup is not None or self._worker_setup is not None):
            self.close()  # workers are primed for one work: start fresh ones for this
        self._worker_setup = setup
        super().map(work, chunks, on_result)

    def _open(self) -> None:
        if self._pool is None:
            self._pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context(self.start_method),
                initializer=_start_worker, initargs=(self._worker_setup,),
            )

    def _capacity(self) -> int:
        return 2 * self.workers

    def _submit(self, work: Work, chunk: Chunk):
        future = self._pool.submit(work, chunk)
        self._pool_of[future] = self._pool
        return future

    def _wait_any(self, handles: list) -> list:
        done, _ = concurrent.futures.wait(handles, return_when=concurrent.futures.FIRST_COMPLETED)
        return list(done)

    def _result(self, handle):
        table = handle.result()
        self._pool_of.pop(handle, None)
        return table

    def _recover(self, handle, error: Exception) -> None:
        owner = self._pool_of.pop(handle, None)
        broken = isinstance(error, BrokenProcessPool)
        if broken and owner is not None and owner is self._pool:
            owner.shutdown(wait=False, cancel_futures=True)
            self._pool = None
            self._open()

    def _abandon(self, handles: list) -> None:
        for handle in handles:
            handle.cancel()
        self._pool_of.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskExecutor(Executor):
    """Runs chunks on a Dask cluster: a scheduler address, a Client, a cluster object, or
    (with `scheduler=None`) a local cluster of `workers` single-threaded processes that this
    executor starts and stops."""

    def __init__(self, scheduler=None, workers: int | None = None,
                 retries: int = DEFAULT_RETRIES,
                 connect_timeout_s: float = DEFAULT_CONNECT_TIMEOUT_S):
        super().__init__(retries)
        self.scheduler = scheduler
        self.connect_timeout_s = connect_timeout_s
        self.workers = workers
        self._client = None
        self._owned: list = []

    @property
    def client(self):
        """The Dask client while the executor is open (its dashboard link, its cluster)."""
        return self._client

    @property
    def name(self) -> str:
        if isinstance(self.scheduler, str):
            return f"dask:{self.scheduler}"
        return "dask"

    def _open(self) -> None:
        if self._client is not None:
            return
        from distributed import Client, LocalCluster

        scheduler = self.scheduler
        if isinstance(scheduler, Client):
            self._client = scheduler
            return
        if scheduler is None:
            scheduler = LocalCluster(
                n_workers=self.workers or os.cpu_count() or 1,
                threads_per_worker=1,
                dashboard_address=":0",  # any free port, never a clash on 8787
            )
            self._owned.append(scheduler)
        try:
            self._client = Client(scheduler, timeout=self.connect_timeout_s)
        except (OSError, TimeoutError) as error:
            raise UserError(
                f"cannot reach the Dask scheduler at {scheduler!r}: {error} "
                "(fix: start one with `dask scheduler` or check --scheduler)"
            ) from error
        self._owned.insert(0, self._client)

    def _capacity(self) -> int:
        threads = sum(self._client.nthreads().values())
        return max(2, 2 * threads)

    def _submit(self, work: Work, chunk: Chunk):
        return self._client.submit(work, chunk, pure=False, retries=0)

    def _wait_any(self, handles: list) -> list:
        from distributed import wait

        done, _ = wait(handles, return_when="FIRST_COMPLETED")
        return list(done)

    def _result(self, handle):
        return handle.result()

    def _abandon(self, handles: list) -> None:
        if handles and self._client is not None:
            self._client.cancel(handles)

    def close(self) -> None:
        for resource in self._owned:
            resource.close()
        self._owned.clear()
        self._client = None


def make_executor(kind: str = "process", workers: int | None = None, scheduler=None,
                  retries: int = DEFAULT_RETRIES) -> Executor:
    """An executor by name: "process" (default), "inprocess" or "dask"."""
    if scheduler is not None and kind == "process":
        kind = "dask"
    if kind == "inprocess":
        return InProcessExecutor(retries=retries)
    if kind == "process":
        return LocalProcessExecutor(workers=workers, retries=retries)
    if kind == "dask":
        return DaskExecutor(scheduler=scheduler, workers=workers, retries=retries)
    hint = did_you_mean(kind, EXECUTOR_KINDS)
    raise UserError(
        f"unknown executor {kind!r}; expected one of {', '.join(EXECUTOR_KINDS)}"
        + (f" ({hint})" if hint else "")
    )
