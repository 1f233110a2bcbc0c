{#- The current municipal totals per gemeente, jaar and fase: the latest load wins. -#}
with

totals as (

    select * from {{ ref('stg_financien__gemeentetotalen') }}

),

final as (

    select *
    from totals
    qualify {{ is_current_delivery(['gemeente_code', 'jaar', 'fase']) }}

)

select * from final
