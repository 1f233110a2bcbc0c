"""Registration source assets: jeugdhulp trajectories and Wmo maatwerkvoorzieningen."""

from ..sources.registraties import JEUGDHULP, WMO
from .loading import source_asset

registraties_jeugdhulp = source_asset(
    JEUGDHULP, "Loads new exports of the jeugdhulp registration (one line per trajectory, CSV/XLSX) into "
    "raw.registraties_jeugdhulp; bad files (and any with a BSN) go to raw.quarantine.",
)

registraties_wmo = source_asset(
    WMO, "Loads new exports of the Wmo maatwerk registration (one line per provision, CSV/XLSX) into "
    "raw.registraties_wmo; bad files (and any with a BSN) go to raw.quarantine.",
)

ASSETS = [registraties_jeugdhulp, registraties_wmo]
