{#- One row per omnibus respondent of the current delivery of each year, with
    the wijk resolved to its code, the age put in its band, and weight 1 for
    every respondent of an unweighted year. Answers stay codes. -#}
with

respondents as (

    select * from {{ ref('stg_enquetes__omnibus') }}

),

wijken as (

    select * from {{ ref('wijken') }}

),

leeftijdsklassen as (

    select * from {{ ref('leeftijdsklassen') }}
    where indeling = 'standaard'

),

current_respondents as (

    select *
    from respondents
    qualify {{ is_current_delivery(['gemeente_code', 'jaar']) }}

),

final as (

    select
        -- The names in an exclude list are the star's own columns, never qualified.
        current_respondents.* exclude (wijk, weegfactor),  -- noqa: RF02
        leeftijdsklassen.leeftijdsklasse,
        wijken.wijk_code,
        -- An unweighted delivery has no weights: every respondent counts once.
        coalesce(current_respondents.weegfactor, 1.0) as weegfactor

    from current_respondents
    left join wijken
        on wijken.gemeente_code = current_respondents.gemeente_code
        and (
            name_key(wijken.wijk_naam) = name_key(current_respondents.wijk)
            or upper(wijken.wijk_code) = upper(current_respondents.wijk)
        )
    left join leeftijdsklassen
        on (
            current_respondents.leeftijd
            between leeftijdsklassen.van_leeftijd and coalesce(leeftijdsklassen.tot_leeftijd, 200)
        )

)

select * from final
