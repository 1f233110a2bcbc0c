with

source as (

    select * from {{ source('financien', 'gemeentetotalen') }}

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
        uitgaven,
        inkomsten,
        uitgaven + inkomsten as saldo

    from source

)

select * from final
