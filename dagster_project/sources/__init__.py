"""Source contracts, one module per source system."""

from . import finance, indicators

CONTRACTS = (*finance.CONTRACTS, *indicators.CONTRACTS)
