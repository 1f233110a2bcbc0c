with

source as (

    select * from {{ source('indicatoren', 'waarden') }}

),

final as (

    select
        load_id,
        file_name,
        source_row,
        loaded_at,
        gemeente_code,
        indicator_code,
        jaar,
        waardetype,
        coalesce(waarde, case when noemer > 0 then 100 * teller / noemer end) as waarde,
        waarde is null and teller is not null as is_afgeleid_uit_teller_noemer,
        teller,
        noemer,
        peildatum,
        bron_document

    from source

)

select * from final
