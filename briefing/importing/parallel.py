"""Parsing on every core: a process pool that maps work over inputs (or a feed's items) and
hands the results back in input order, so ids and import order do not depend on timing.

Worth it only for enough work: starting processes costs ~100 ms (more with `spawn`), so a
single small input is parsed here, in this process (`Pool.wanted`). When processes cannot
be made (a sandbox, no semaphores, a broken worker), the work is done in this process too.

Processes are forked when the work is started from the main thread (the CLI): the workers
start at once with the parent's modules. Started from another thread (the TUI imports in a
worker thread), forking could copy a lock a running thread holds, so workers are spawned
instead (each imports what it needs: ~0.3 s, paid once per import, in parallel).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")

AHEAD = 6
"""Tasks queued per worker beyond the one it runs: enough that a worker never waits while
this process writes a batch, few enough that results waiting to be written stay small."""


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class Pool:
    """Worker processes made on first use; `ordered` maps a function over tasks."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers if workers is not None else cores()
        self._executor: ProcessPoolExecutor | None = None
        self._failed = self.workers < 2

    @property
    def active(self) -> bool:
        return not self._failed

    def _get(self) -> ProcessPoolExecutor | None:
        if self._failed:
            return None
        if self._executor is None:
            # Forked from the main thread (the CLI, even with a progress bar's refresh thread:
            # the workers never print); spawned from any other thread (the TUI's import).
            method = "fork" if threading.current_thread() is threading.main_thread() else "spawn"
            if method not in multiprocessing.get_all_start_methods():
                method = "spawn"
            try:
                self._executor = ProcessPoolExecutor(
                    self.workers, mp_context=multiprocessing.get_context(method)
                )
            except (OSError, ValueError, NotImplementedError, ImportError):
                self._failed = True
                return None
        return self._executor

    def ordered(
        self, fn: Callable[..., T], tasks: Iterable[tuple[Any, ...]], ahead: int | None = None
    ) -> Iterator[T]:
        """fn(*task) for each task, in task order; at most `ahead` tasks in flight (tasks
        are taken from the iterable only as room frees, so a lazy one stays lazy)."""
        window = ahead if ahead is not None else self.workers * (1 + AHEAD)
        pending: deque[tuple[tuple[Any, ...], Future[T] | None]] = deque()
        try:
            for task in tasks:
                pending.append((task, self._submit(fn, task)))
                while len(pending) >= window:
                    yield self._result(fn, *pending.popleft())
            while pending:
                yield self._result(fn, *pending.popleft())
        finally:
            for _, future in pending:
                if future is not None:
                    future.cancel()

    def _submit(self, fn: Callable[..., T], task: tuple[Any, ...]) -> Future[T] | None:
        executor = self._get()
        if executor is None:
            return None
        try:
            return executor.submit(fn, *task)
        except (BrokenProcessPool, RuntimeError, OSError):
            self._broken()
            return None

    def _result(self, fn: Callable[..., T], task: tuple[Any, ...], future: Future[T] | None) -> T:
        if future is not None:
            try:
                return future.result()
            except (BrokenProcessPool, OSError):
                self._broken()  # a worker died (killed, out of memory): done here instead
        return fn(*task)

    def _broken(self) -> None:
        self._failed = True
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def in_process(fn: Callable[..., T], tasks: Iterable[tuple[Any, ...]]) -> Iterator[T]:
    """The same as `Pool.ordered`, here."""
    for task in tasks:
        yield fn(*task)
