{#- The age bands of breakdowns: standaard (surveys, Wmo clients) and jeugd (jeugdhulp). -#}
with

leeftijdsklassen as (

    select * from {{ ref('leeftijdsklassen') }}

),

final as (

    select
        leeftijdsklasse,
        indeling,
        van_leeftijd,
        tot_leeftijd,
        volgorde

    from leeftijdsklassen

)

select * from final
