with

fasen as (

    select * from {{ ref('fasen') }}

),

final as (

    select
        fase,
        fase_volgorde,
        document,
        omschrijving

    from fasen

)

select * from final
