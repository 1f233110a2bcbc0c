"""Source contracts, one module per source system."""

from . import finance, indicators, registraties, surveys

CONTRACTS = (*finance.CONTRACTS, *indicators.CONTRACTS, *surveys.CONTRACTS, *registraties.CONTRACTS)
