{#- Every loaded period of a CBS table with its status in that download: renamed
    and cast only. -#}
with

source as (

    select * from {{ source('cbs', 'perioden') }}

),

final as (

    select
        load_id,
        file_name,
        source_row,
        loaded_at,
        regexp_extract(upper(file_name), '^([0-9]{5}[A-Z]{3})_', 1) as tabel_id,
        cast(regexp_extract(file_name, '_([0-9]{4}-[0-9]{2}-[0-9]{2})_', 1) as date) as downloaddatum,
        identifier as periode_code,
        title as periode_titel,
        status as cbs_status

    from source

)

select * from final
