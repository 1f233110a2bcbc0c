with

source as (

    select * from {{ source('financien', 'grootboek') }}

),

final as (

    select
        load_id,
        file_name,
        source_row,
        loaded_at,
        gemeente_code,
        jaar,
        fase,
        programma_code,
        doelstelling_code,
        doelstelling_naam,
        lower(taakveld_code) as taakveld_code,
        kostenplaats,
        soort,
        reservemutatie as is_reservemutatie,
        bedrag

    from source

)

select * from final
