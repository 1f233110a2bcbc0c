{#- What is computed from each survey: one row per survey and outcome, with its
    measure, population and the indicator it feeds. -#}
with

outcomes as (

    select * from {{ ref('enquete_uitkomsten') }}

),

final as (

    select
        {{ surrogate_key(['onderzoek', 'uitkomst']) }} as uitkomst_key,
        onderzoek,
        uitkomst,
        maat,
        omschrijving,
        vanaf_leeftijd,
        indicator_code

    from outcomes

)

select * from final
