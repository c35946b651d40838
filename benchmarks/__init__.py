"""Ratio benchmarks: each ``bench_*.py`` module measures the mock against a baseline run in the
same process and prints the ratio. Reported, never asserted. ``python -m benchmarks`` runs them
all (``make bench``); ``python -m benchmarks foundation`` runs ``bench_foundation`` alone."""
