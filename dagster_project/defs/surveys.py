"""Survey source assets: microdata per survey and year."""

from ..sources.surveys import CEO, OMNIBUS, SATISFACTION
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

survey_omnibus = source_asset(
    OMNIBUS, "Loads new omnibus survey microdata (CSV/XLSX/SAV: background, weight, health, loneliness items, "
    "volunteering) into raw.survey_omnibus; bad files go to raw.quarantine.",
)

ASSETS = [survey_satisfaction, survey_ceo, survey_omnibus]
