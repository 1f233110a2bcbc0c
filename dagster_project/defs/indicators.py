"""Indicator source asset: realisaties, targets and prognoses per indicator and year."""

from ..sources.indicators import VALUES
from .loading import source_asset

indicator_values = source_asset(
    VALUES, "Loads new indicator value files (CSV/XLSX) into raw.indicator_values; bad files go to raw.quarantine.",
)

ASSETS = [indicator_values]
