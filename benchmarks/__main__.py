"""Run every ``benchmarks/bench_*.py`` module's ``main()``, or only the ones named:
``python -m benchmarks [foundation search ...]``."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def modules(names: list[str]) -> list[str]:
    found = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    if not names:
        return found
    wanted = [n if n.startswith("bench_") else f"bench_{n}" for n in names]
    unknown = [n for n in wanted if n not in found]
    if unknown:
        raise SystemExit(
            f"unknown benchmark(s) {', '.join(unknown)}; available: {', '.join(found)}"
        )
    return wanted


def main(argv: list[str]) -> int:
    status = 0
    for name in modules(argv):
        print(f"== {name} ==", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        saved = sys.argv
        sys.argv = [f"benchmarks/{name}.py"]  # each main() parses its own (default) options
        try:
            status = max(status, int(module.main() or 0))
        finally:
            sys.argv = saved
        print(flush=True)
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
