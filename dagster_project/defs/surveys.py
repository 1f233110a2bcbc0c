"""Survey source assets: microdata per survey and year."""

from ..sources.surveys import CEO, SATISFACTION
from .loading import source_asset

survey_satisfaction = source_asset(
    SATISFACTION,
    "Loads new inZet and MTO satisfaction microdata (CSV/XLSX/SAV) into raw.survey_satisfaction; "
    "bad files go to raw.quarantine.",
)

survey_ceo = source_asset(
    CEO, "Loads new Wmo client experience survey (CEO) microdata (CSV/XLSX/SAV) into raw.survey_ceo; "
    "bad files go to raw.quarantine.",
)

ASSETS = [survey_satisfaction, survey_ceo]
