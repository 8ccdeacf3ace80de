"""Benchmarks: ``python -m bench`` prints figures and ratios against same-run baselines."""
