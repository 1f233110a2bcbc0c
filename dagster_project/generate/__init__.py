"""Committed files generated from the registry and the reference data (a test fails when one is
out of date): dbt's sources and codebook macro, docs/indicators.md."""
