"""The code the default assistant "writes" for code_interpreter, fitted to the request.

User code never runs: each recognised task has a small scripted program, and the mock computes
the program's output itself (bounded: at most ``MAX_N`` terms), so the logs are what the
program would print. The README lists the tasks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: the largest count a program is written for (a request for more is clamped to it)
MAX_N = 1000

_FIBONACCI = re.compile(r"\bfi+b+o+n+a+c+h?i+\b|\bfibonacci\b|\bfib\b", re.IGNORECASE)
_FACTORIAL = re.compile(r"\bfactorials?\b|\b\d+\s*!", re.IGNORECASE)
_PRIMES = re.compile(r"\bprimes?\b(?:\s+numbers?)?", re.IGNORECASE)
_SORT = re.compile(r"\bsort(?:ed|ing)?\b", re.IGNORECASE)
_AVERAGE = re.compile(r"\b(?:average|mean)\b", re.IGNORECASE)
#: "1,000" is one number (thousands groups), "1,2,3" three: a group is exactly three digits
_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?")


@dataclass(frozen=True)
class Program:
    code: str
    logs: str
    summary: str  # the reply's sentence about the result
    values: list  # what a chart of the result shows...
    plotted: str  # ...and the program's expression for it


def numbers(message: str) -> list[int | float]:
    found = [float(n.replace(",", "")) for n in _NUMBER.findall(message)]
    return [int(n) if n.is_integer() else n for n in found]


def write(message: str) -> Program:
    """The program for the request in ``message`` (a sum of its numbers when no task fits)."""
    values = numbers(message)
    count = min(int(abs(values[0])), MAX_N) if values and float(values[0]).is_integer() else None
    if _FIBONACCI.search(message):
        return _fibonacci(count if count is not None else 10)
    if _FACTORIAL.search(message) and count is not None:
        return _factorial(min(count, 200))
    if _PRIMES.search(message):
        return _primes(count if count is not None else 10)
    if _SORT.search(message) and values:
        return _sorted(values)
    if _AVERAGE.search(message) and values:
        return _average(values)
    return _sum(values)


def _listed(values: list[int]) -> str:
    return ", ".join(str(v) for v in values)


def _fibonacci(n: int) -> Program:
    sequence = [0, 1][:n]
    while len(sequence) < n:
        sequence.append(sequence[-1] + sequence[-2])
    code = (
        "def fibonacci(n):\n"
        "    sequence = [0, 1]\n"
        "    while len(sequence) < n:\n"
        "        sequence.append(sequence[-1] + sequence[-2])\n"
        "    return sequence[:n]\n"
        "\n"
        f"result = fibonacci({n})\n"
        "print(result)"
    )
    summary = f"The first {n} Fibonacci numbers are {_listed(sequence)}."
    return Program(code, f"{sequence}\n", summary, sequence, "result")


def _factorial(n: int) -> Program:
    result = 1
    for k in range(2, n + 1):
        result *= k
    code = f"import math\n\nresult = math.factorial({n})\nprint(result)"
    return Program(
        code, f"{result}\n", f"{n}! = {result}.", list(range(1, n + 1)), f"list(range(1, {n + 1}))"
    )


def _primes(n: int) -> Program:
    found: list[int] = []
    candidate = 2
    while len(found) < n:
        if all(candidate % p for p in found if p * p <= candidate):
            found.append(candidate)
        candidate += 1
    code = (
        "def primes(n):\n"
        "    found = []\n"
        "    candidate = 2\n"
        "    while len(found) < n:\n"
        "        if all(candidate % p for p in found if p * p <= candidate):\n"
        "            found.append(candidate)\n"
        "        candidate += 1\n"
        "    return found\n"
        "\n"
        f"result = primes({n})\n"
        "print(result)"
    )
    return Program(
        code, f"{found}\n", f"The first {n} prime numbers are {_listed(found)}.", found, "result"
    )


def _sorted(values: list) -> Program:
    result = sorted(values)
    code = f"values = {values!r}\nresult = sorted(values)\nprint(result)"
    return Program(code, f"{result}\n", f"Sorted: {_listed(result)}.", result, "result")


def _average(values: list) -> Program:
    mean = sum(values) / len(values)
    code = f"values = {values!r}\nresult = sum(values) / len(values)\nprint(result)"
    return Program(code, f"{mean}\n", f"The average of {values} is {mean}.", values, "values")


def _sum(values: list) -> Program:
    total = sum(values)
    code = f"values = {values!r}\nresult = sum(values)\nprint(result)"
    summary = f"The sum of {values} is {total}." if values else "There were no numbers to add up."
    return Program(code, f"{total}\n", summary, values, "values")
