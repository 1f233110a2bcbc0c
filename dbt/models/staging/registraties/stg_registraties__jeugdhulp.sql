{#- Every loaded line of the jeugdhulp registration, current or not: renamed and cast
    only, and the client number replaced by a keyed pseudonym (the number itself
    stays in the build file only). -#}
with

source as (

    select * from {{ source('registraties', 'jeugdhulp') }}

),

final as (

    select
        {{ pseudonym(['gemeente_code', "'jeugdhulp'", 'client_id']) }} as client_key,
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
        aanbieder_agb,
        begindatum,
        einddatum,
        reden_einde

    from source

)

select * from final
