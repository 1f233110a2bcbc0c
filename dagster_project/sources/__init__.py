"""The one registry of sources: every delivery contract, one module per domain.

The source assets, the delivery sensor, the run summary and the dbt sources
(dbt/models/staging/_sources.yml, generated) are all made from CONTRACTS.
Adding a source is one contract here plus one staging model (docs/operations.md).
"""

from . import cbs, enquetes, financien, indicatoren, registraties

CONTRACTS = (
    *financien.CONTRACTS, *indicatoren.CONTRACTS, *enquetes.CONTRACTS, *registraties.CONTRACTS, *cbs.CONTRACTS,
)
