"""Finance source assets: the ledger and the municipal totals."""

from ..sources.finance import LEDGER, MUNICIPAL_TOTALS
from .loading import source_asset

finance_ledger = source_asset(
    LEDGER, "Loads new finance ledger files (CSV/XLSX) into raw.finance_ledger_lines; bad files go to raw.quarantine.",
)
finance_municipal_totals = source_asset(
    MUNICIPAL_TOTALS,
    "Loads new municipal totals files into raw.finance_municipal_totals; bad files go to raw.quarantine.",
)

ASSETS = [finance_ledger, finance_municipal_totals]
