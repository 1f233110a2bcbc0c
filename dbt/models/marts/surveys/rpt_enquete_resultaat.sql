{#- Survey figures computed from the microdata. Grain: one row per gemeente,
    survey, indicator and year. -#}
with

results as (

    select * from {{ ref('int_surveys__satisfaction_results') }}

),

final as (

    select
        gemeente_code,
        onderzoek,
        indicator_code,
        jaar,
        cast(round(waarde, 4) as decimal(18, 4)) as waarde,
        n_respondenten,
        n_zonder_antwoord,
        n_tevreden,
        cast(round(ci_ondergrens, 4) as decimal(18, 4)) as ci_ondergrens,
        cast(round(ci_bovengrens, 4) as decimal(18, 4)) as ci_bovengrens,
        is_niet_representatief,
        peildatum

    from results

)

select * from final
