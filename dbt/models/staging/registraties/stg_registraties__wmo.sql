{#- Every loaded line of the Wmo maatwerk registration, current or not: renamed and cast only. -#}
with

source as (

    select * from {{ source('registraties', 'wmo') }}

),

final as (

    select
        load_id,
        file_name,
        source_row,
        loaded_at,
        gemeente_code,
        periode_begin,
        periode_einde,
        client_id,
        geboortedatum,
        geboortemaand,
        cast(geslacht as integer) as geslacht_code,
        wijk,
        productcategorie,
        begindatum,
        einddatum

    from source

)

select * from final
