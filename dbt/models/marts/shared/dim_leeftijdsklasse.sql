{#- The age bands of breakdowns: standaard (surveys, Wmo clients) and jeugd
    (jeugdhulp), plus an "onbekend" member (last in the sort order) for people
    without an age band. -#}
with

leeftijdsklassen as (

    select * from {{ ref('leeftijdsklassen') }}

),

unknown as (

    select
        {{ onbekend() }} as leeftijdsklasse,
        cast(null as varchar) as indeling,
        cast(null as integer) as van_leeftijd,
        cast(null as integer) as tot_leeftijd,
        max(volgorde) + 1 as volgorde

    from leeftijdsklassen

),

members as (

    select leeftijdsklasse, indeling, van_leeftijd, tot_leeftijd, volgorde
    from leeftijdsklassen

    union all

    select * from unknown

),

final as (

    select
        leeftijdsklasse,
        indeling,
        van_leeftijd,
        tot_leeftijd,
        volgorde

    from members

)

select * from final
