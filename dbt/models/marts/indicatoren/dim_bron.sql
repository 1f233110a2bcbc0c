with

bronnen as (

    select * from {{ ref('bronnen') }}

),

final as (

    select
        bron_code,
        bron_naam,
        omschrijving

    from bronnen

)

select * from final
