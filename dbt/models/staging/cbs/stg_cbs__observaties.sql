{#- Every loaded CBS figure, current or not: renamed and cast only. The table and
    the download date come from the file name (<table>_<download date>_Observations.csv,
    checked by the loader). -#}
with

source as (

    select * from {{ source('cbs', 'observaties') }}

),

final as (

    select
        load_id,
        file_name,
        source_row,
        loaded_at,
        regexp_extract(upper(file_name), '^([0-9]{5}[A-Z]{3})_', 1) as tabel_id,
        cast(regexp_extract(file_name, '_([0-9]{4}-[0-9]{2}-[0-9]{2})_', 1) as date) as downloaddatum,
        id as cbs_regel_id,
        measure,
        -- The one dimension besides region and period that some tables have (taakveld, type of voorziening).
        coalesce(typemaatwerkvoorziening, gemeentelijketaakvelden) as uitsplitsing_code,
        regios as regio_code,
        perioden as periode_code,
        cast(left(perioden, 4) as integer) as jaar,
        substr(perioden, 5, 2) as periodesoort,
        value as waarde,
        valueattribute as waardeattribuut

    from source

)

select * from final
