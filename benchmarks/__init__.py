"""Benchmarks (`make bench`): speed and memory targets, kept out of the tests."""
