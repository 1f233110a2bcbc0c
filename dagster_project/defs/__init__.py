"""Dagster definitions, one module per concept; assembled in dagster_project.definitions."""
