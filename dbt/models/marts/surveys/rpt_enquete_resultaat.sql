{#- Survey figures computed from the microdata. Grain: one row per gemeente,
    survey, question and year. -#}
with

results as (

    select * from {{ ref('int_surveys__results') }}

),

final as (

    select
        gemeente_code,
        onderzoek,
        vraag,
        indicator_code,
        jaar,
        cast(round(waarde, 4) as decimal(18, 4)) as waarde,
        n_respondenten,
        n_zonder_antwoord,
        n_positief,
        cast(round(ci_ondergrens, 4) as decimal(18, 4)) as ci_ondergrens,
        cast(round(ci_bovengrens, 4) as decimal(18, 4)) as ci_bovengrens,
        is_niet_representatief,
        peildatum

    from results

)

select * from final
