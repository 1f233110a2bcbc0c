{#- Every loaded line of the Wmo maatwerk registration, current or not: renamed and cast
    only, and the client number replaced by a keyed pseudonym (the number itself
    stays in the build file only). -#}
with

source as (

    select * from {{ source('registraties', 'wmo') }}

),

final as (

    select
        {{ pseudonym(['gemeente_code', "'wmo'", 'client_id']) }} as client_key,
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
