{#- Satisfied respondents per survey and year (int_surveys__results turns the
    counts into a percentage with its interval). Respondents without a grade are
    not counted. -#}
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
        counted.peildatum

    from counted
    inner join indicators using (onderzoek)

)

select * from final
