{#- Every CBS figure of every download: the history of provisional, definitive
    and revised figures, with which one is current. Grain: one row per loaded
    line (load_id, source_row). -#}
with

waarnemingen as (

    select * from {{ ref('int_cbs__waarnemingen') }}

),

final as (

    select
        load_id,
        source_row,
        file_name,
        tabel_id,
        downloaddatum,
        measure,
        uitsplitsing_code,
        maat_code,
        regio_code,
        periode_code,
        jaar,
        periodesoort,
        cast(waarde as decimal(18, 4)) as waarde,
        waardeattribuut,
        markering,
        cbs_status,
        cast(vorige_waarde as decimal(18, 4)) as vorige_waarde,
        vorige_status,
        is_actueel

    from waarnemingen

)

select * from final
