{#- Every survey figure computed from microdata, one row per gemeente, survey,
    question and year: the percentage positive among the valid answers, with the
    95% Wilson interval and the representativeness flag, computed once for all surveys. -#}
with

satisfaction as (

    select * from {{ ref('int_surveys__satisfaction_results') }}

),

ceo as (

    select * from {{ ref('int_surveys__ceo_results') }}

),

counted as (

    select * from satisfaction
    union all by name
    select * from ceo

),

final as (

    select
        gemeente_code,
        onderzoek,
        vraag,
        indicator_code,
        jaar,
        n_respondenten,
        n_zonder_antwoord,
        n_positief,
        100.0 * n_positief / nullif(n_respondenten, 0) as waarde,
        {{ wilson_bound('n_positief', 'n_respondenten', -1) }} as ci_ondergrens,
        {{ wilson_bound('n_positief', 'n_respondenten', 1) }} as ci_bovengrens,
        n_respondenten < {{ var('min_respondenten_representatief') }} as is_niet_representatief,
        peildatum

    from counted

)

select * from final
