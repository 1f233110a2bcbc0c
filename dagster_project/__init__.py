"""Social-domain programme warehouse: Dagster code location."""

import importlib.metadata

# The one place the warehouse's version is read (pyproject.toml's `version`, through the
# installed package's metadata): the published release records it.
__version__ = importlib.metadata.version("sociaal-domein-warehouse")
