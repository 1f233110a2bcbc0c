"""Social-domain programme warehouse: Dagster code location."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sociaal-domein-warehouse")
except PackageNotFoundError:  # run from a checkout that was not installed
    __version__ = "unknown"
