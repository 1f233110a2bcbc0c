{#- The age bands of survey breakdowns. -#}
with

leeftijdsklassen as (

    select * from {{ ref('leeftijdsklassen') }}

),

final as (

    select
        leeftijdsklasse,
        van_leeftijd,
        tot_leeftijd,
        volgorde

    from leeftijdsklassen

)

select * from final
