"""The registry of sources: adding a source is one contract plus one staging model
(docs/operations.md, "Adding a source"). A throwaway contract gets its asset, its
sensor watch, its run summary line, its raw table and its dbt source."""

from __future__ import annotations

import json

import yaml
from dagster import AssetKey, RunRequest, build_sensor_context, materialize

from dagster_project.definitions import build_definitions
from dagster_project.defs.automation import delivery_sensor
from dagster_project.defs.resources import RESOURCES, WarehouseResource
from dagster_project.defs.sources import source_asset
from dagster_project.generate import dbt_files
from dagster_project.ingest.contracts import Column, Contract
from dagster_project.operations.run import summarise
from dagster_project.settings import DBT_PROJECT_DIR
from dagster_project.sources import CONTRACTS

from .conftest import query

PROEF = Contract(
    domain="proefdomein",
    entity="telling",
    description="A throwaway source for this test.",
    columns=(
        Column("gemeente_code", "gemeente_code", "CBS gemeentecode"),
        Column("jaar", "jaar", "the year"),
        Column("aantal", "getal", "a count"),
    ),
)


def _warehouse(paths) -> WarehouseResource:
    return WarehouseResource(landing_dir=str(paths.landing_dir), warehouse_dir=str(paths.warehouse_dir),
                             published_db=str(paths.published_db))


def _deliver(paths) -> None:
    folder = paths.landing_dir / "proefdomein" / "telling"
    folder.mkdir(parents=True)
    (folder / "telling_2024.csv").write_text("gemeente_code;jaar;aantal\nGM0637;2024;12\nGM0637;2023;7\n")


def test_a_new_contract_is_an_asset_of_the_nightly_job():
    defs = build_definitions((*CONTRACTS, PROEF))
    job = defs.resolve_job_def("nightly")
    assert AssetKey("proefdomein_telling") in job.asset_layer.selected_asset_keys
    assert AssetKey("proefdomein_telling") not in build_definitions().resolve_asset_graph().get_all_asset_keys()


def test_the_sensor_watches_the_new_landing_folder(paths):
    sensor = delivery_sensor((*CONTRACTS, PROEF))
    # Opened as context managers: the warehouse resource has a run lifecycle (the warehouse lock).
    with build_sensor_context(resources={"warehouse": _warehouse(paths)}) as context:
        sensor(context)
    _deliver(paths)
    with build_sensor_context(cursor=context.cursor, resources={"warehouse": _warehouse(paths)}) as later:
        assert isinstance(sensor(later), RunRequest)


def test_the_new_source_loads_and_shows_in_the_run_summary(paths):
    _deliver(paths)
    result = materialize([source_asset(PROEF)], resources={**RESOURCES, "warehouse": _warehouse(paths)})
    assert result.success
    assert query(paths.build_db, "SELECT gemeente_code, jaar, aantal FROM raw.proefdomein_telling ORDER BY jaar") \
        == [("GM0637", 2023, 7), ("GM0637", 2024, 12)]
    text, _ = summarise(result, paths, (*CONTRACTS, PROEF))
    assert "proefdomein_telling" in text and "loaded 1, quarantined 0" in text


def test_the_new_source_is_declared_to_dbt():
    sources = yaml.safe_load(dbt_files.render_sources((*CONTRACTS, PROEF)))["sources"]
    [proef] = [s for s in sources if s["name"] == "proefdomein"]
    [table] = proef["tables"]
    assert (table["name"], table["identifier"], table["meta"]["dagster"]["asset_key"]) == (
        "telling", "proefdomein_telling", ["proefdomein_telling"])
    assert [c["name"] for c in table["columns"]][-3:] == ["gemeente_code", "jaar", "aantal"]


def test_the_committed_dbt_files_are_generated_from_the_registry_and_the_codebook():
    for path, text in dbt_files.generated_files().items():
        assert path.read_text() == text, f"{path} is out of date: run `python -m dagster_project.generate.dbt_files`"


def test_a_new_codebook_question_reaches_the_unpivot_sql(tmp_path):
    codebook = tmp_path / "enquete_vragen.csv"
    original = (dbt_files.REFERENCE_DIR / "enquete_vragen.csv").read_text(encoding="utf-8")
    codebook.write_text(original + "ceo,zelf_gekozen,10,Ik kon zelf kiezen,eens_oneens,,\n", encoding="utf-8")
    macro = dbt_files.render_codebook_macro(codebook)
    assert "'betere_kwaliteit_van_leven', 'zelf_gekozen']" in macro


def test_every_source_has_its_staging_model():
    nodes = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())["nodes"].values()
    staged = {
        node["name"]: node["depends_on"]["nodes"] for node in nodes
        if node["resource_type"] == "model" and node["name"].startswith("stg_")
    }
    for contract in CONTRACTS:
        model = f"stg_{contract.domain}__{contract.entity}"
        assert model in staged, f"{contract.source} has no staging model {model}"
        assert f"source.sociaal_domein.{contract.domain}.{contract.entity}" in staged[model]
