"""Benchmarks: ``make bench`` (bench/run.py) and the moderation queue counts script."""
