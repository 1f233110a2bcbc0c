"""dbt: its invocation in the dbt step, its DuckDB connection and SQL functions (plugins of
dbt/profiles.yml), the manifest, and the fingerprints that decide what a run rebuilds."""
