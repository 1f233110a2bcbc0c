"""Benchmarks (`make bench`): speed and memory targets, kept out of the tests."""

import os

# Benchmark deliveries are written a moment before they are loaded: nothing is still being written.
os.environ["WAREHOUSE_SETTLE_SECONDS"] = "0"
# Benchmark runs read generated landing directories, not the embedded sample: they need a secret of their own.
os.environ.setdefault("WAREHOUSE_PSEUDONIMISERING_SLEUTEL", "een-geheim-alleen-voor-de-benchmarks-van-het-warehouse")
