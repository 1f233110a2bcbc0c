{#- Percentage satisfied per survey and year, with n and the 95% Wilson interval.
    Respondents without a grade are not counted. -#}
with

respondents as (

    select * from {{ ref('stg_surveys__satisfaction') }}

),

indicators as (

    select * from {{ ref('enquete_indicatoren') }}

),

counted as (

    select
        gemeente_code,
        onderzoek,
        jaar,
        count(cijfer) as n_respondenten,
        count(*) - count(cijfer) as n_zonder_antwoord,
        count(*) filter (where is_tevreden) as n_positief,
        cast(max(loaded_at) as date) as peildatum

    from respondents
    group by all

),

final as (

    select
        counted.gemeente_code,
        counted.onderzoek,
        'cijfer' as vraag,
        indicators.indicator_code,
        counted.jaar,
        counted.n_respondenten,
        counted.n_zonder_antwoord,
        counted.n_positief,
        100.0 * counted.n_positief / nullif(counted.n_respondenten, 0) as waarde,
        {{ wilson_bound('counted.n_positief', 'counted.n_respondenten', -1) }} as ci_ondergrens,
        {{ wilson_bound('counted.n_positief', 'counted.n_respondenten', 1) }} as ci_bovengrens,
        counted.n_respondenten < {{ var('min_respondenten_representatief') }} as is_niet_representatief,
        counted.peildatum

    from counted
    inner join indicators using (onderzoek)

)

select * from final
