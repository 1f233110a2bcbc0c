{#- Every loaded export of a registration: one row per registratie, gemeente and
    load, with the period the export covers and the last day any export of the
    gemeente covers (registratie_einde: how far running care is known). -#}
with

jeugdhulp as (

    select * from {{ ref('stg_registraties__jeugdhulp') }}

),

wmo as (

    select * from {{ ref('stg_registraties__wmo') }}

),

lines as (

    select 'jeugdhulp' as registratie, gemeente_code, load_id, file_name, loaded_at, periode_begin, periode_einde
    from jeugdhulp
    union all
    select 'wmo', gemeente_code, load_id, file_name, loaded_at, periode_begin, periode_einde
    from wmo

),

exports as (

    select
        registratie,
        gemeente_code,
        load_id,
        file_name,
        min(loaded_at) as loaded_at,
        periode_begin,
        periode_einde,
        count(*) as aantal_regels

    from lines
    group by registratie, gemeente_code, load_id, file_name, periode_begin, periode_einde

),

final as (

    select
        *,
        max(periode_einde) over (partition by registratie, gemeente_code) as registratie_einde

    from exports

)

select * from final
