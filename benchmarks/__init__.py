"""Benchmarks (`make bench`): speed and memory targets, kept out of the tests."""

import os

# Benchmark deliveries are written a moment before they are loaded: nothing is still being written.
os.environ["WAREHOUSE_SETTLE_SECONDS"] = "0"
