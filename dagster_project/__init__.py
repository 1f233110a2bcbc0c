"""Social-domain programme warehouse: Dagster code location."""
