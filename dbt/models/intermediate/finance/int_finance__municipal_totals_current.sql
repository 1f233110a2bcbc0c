{#- The current municipal totals per gemeente, jaar and fase: the latest load wins. -#}
with

totals as (

    select * from {{ ref('stg_finance__municipal_totals') }}

),

final as (

    select *
    from totals
    qualify load_id = max(load_id) over (partition by gemeente_code, jaar, fase)

)

select * from final
