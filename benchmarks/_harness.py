"""Timing helpers shared by the benchmarks: best-of-N timing and ratio reports.

A benchmark measures the mock and a baseline *in the same run*, the same way, and reports the
ratio; absolute times depend on the machine, ratios much less. ``best_of`` keeps the fastest
repetition (the one least disturbed by the rest of the machine)::

    mock = best_of(lambda rep: run_calls(mock_client(rep), n), ops=3 * n)
    base = best_of(lambda rep: run_calls(base_client(rep), n), ops=3 * n)
    print(ratio_line("create+retrieve+list", mock, base, target=1.3))

On a shared machine prefer :func:`paired_best_of`, which interleaves the candidates'
repetitions so that load from elsewhere hits both alike.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Timing:
    """Seconds per operation: the best repetition and every repetition."""

    label: str
    ops: int
    best: float
    samples: list[float] = field(default_factory=list)

    @property
    def us(self) -> float:
        """Microseconds per operation (best repetition)."""
        return self.best * 1e6

    def as_dict(self) -> dict[str, float | int | str]:
        return {
            "label": self.label,
            "ops": self.ops,
            "best_us_per_op": round(self.us, 1),
            "median_us_per_op": round(sorted(self.samples)[len(self.samples) // 2] * 1e6, 1),
        }


def best_of(
    run: Callable[[int], object], *, ops: int, repeats: int = 5, warmup: int = 1, label: str = ""
) -> Timing:
    """Time ``run(repetition)`` ``repeats`` times (after ``warmup`` untimed runs); each run does
    ``ops`` operations. The repetition index lets a run use fresh state (a new API key)."""
    for i in range(warmup):
        run(-1 - i)
    samples = []
    for rep in range(repeats):
        gc.collect()
        start = time.perf_counter()
        run(rep)
        samples.append((time.perf_counter() - start) / ops)
    return Timing(label, ops, min(samples), samples)


def abest_of(
    run: Callable[[int], Awaitable[object]],
    *,
    ops: int,
    repeats: int = 5,
    warmup: int = 1,
    label: str = "",
) -> Timing:
    """:func:`best_of` for a coroutine function; every repetition runs on one event loop."""

    async def timed() -> Timing:
        for i in range(warmup):
            await run(-1 - i)
        samples = []
        for rep in range(repeats):
            gc.collect()
            start = time.perf_counter()
            await run(rep)
            samples.append((time.perf_counter() - start) / ops)
        return Timing(label, ops, min(samples), samples)

    return asyncio.run(timed())


def paired_best_of(
    runs: dict[str, Callable[[int], object]], *, ops: int, repeats: int = 5, warmup: int = 1
) -> dict[str, Timing]:
    """:func:`best_of` for several candidates, their repetitions interleaved (a, b, a, b...)
    so that a burst of load on a shared machine hits each candidate alike."""
    for i in range(warmup):
        for run in runs.values():
            run(-1 - i)
    samples: dict[str, list[float]] = {label: [] for label in runs}
    for rep in range(repeats):
        for label, run in runs.items():
            gc.collect()
            start = time.perf_counter()
            run(rep)
            samples[label].append((time.perf_counter() - start) / ops)
    return {label: Timing(label, ops, min(s), s) for label, s in samples.items()}


def apaired_best_of(
    runs: dict[str, Callable[[int], Awaitable[object]]],
    *,
    ops: int,
    repeats: int = 5,
    warmup: int = 1,
) -> dict[str, Timing]:
    """:func:`paired_best_of` for coroutine functions, all on one event loop."""

    async def timed() -> dict[str, Timing]:
        for i in range(warmup):
            for run in runs.values():
                await run(-1 - i)
        samples: dict[str, list[float]] = {label: [] for label in runs}
        for rep in range(repeats):
            for label, run in runs.items():
                gc.collect()
                start = time.perf_counter()
                await run(rep)
                samples[label].append((time.perf_counter() - start) / ops)
        return {label: Timing(label, ops, min(s), s) for label, s in samples.items()}

    return asyncio.run(timed())


def ratio(mock: Timing, baseline: Timing) -> float:
    return mock.best / baseline.best


def ratio_line(name: str, mock: Timing, baseline: Timing, target: float | None = None) -> str:
    """``name: mock 812.3 us/op, baseline 701.0 us/op, ratio 1.16x (target <= 1.30x: met)``."""
    r = ratio(mock, baseline)
    verdict = (
        ""
        if target is None
        else f" (target <= {target:.2f}x: {'met' if r <= target else 'NOT met'})"
    )
    return (
        f"{name:<34} mock {mock.us:9.1f} us/op   baseline {baseline.us:9.1f} us/op   "
        f"ratio {r:5.2f}x{verdict}"
    )


def print_report(title: str, lines: list[str]) -> None:
    print(title)
    print("-" * len(title))
    for line in lines:
        print(line)


def repeated(fn: Callable[[Any], None], client: Any, lifecycles: int) -> Callable[[int], None]:
    """A contender for :func:`paired_best_of`: ``lifecycles`` calls of ``fn(client)`` each
    repetition."""

    def run(rep: int) -> None:
        for _ in range(lifecycles):
            fn(client)

    return run
