"""Where a release goes: the published DuckDB file and Parquet (files)."""
