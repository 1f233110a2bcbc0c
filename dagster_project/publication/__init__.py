"""Where a release goes: the published DuckDB file and Parquet (files), and PostgreSQL
(postgres), both with the keys declared in the dbt project (keys)."""
