"""Source contracts, one module per source system."""

from . import finance, indicators, surveys

CONTRACTS = (*finance.CONTRACTS, *indicators.CONTRACTS, *surveys.CONTRACTS)
