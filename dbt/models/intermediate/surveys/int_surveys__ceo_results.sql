{#- Per statement and year: (helemaal) mee eens among the valid answers
    (int_surveys__results turns the counts into a percentage with its interval).
    "Weet niet/n.v.t." and blanks are left out of the denominator. -#}
with

answers as (

    select * from {{ ref('stg_surveys__ceo') }}

),

scale as (

    select * from {{ ref('ceo_antwoorden') }}

),

statements as (

    select * from {{ ref('ceo_stellingen') }}

),

counted as (

    select
        answers.gemeente_code,
        answers.jaar,
        answers.vraag,
        count(*) filter (where scale.is_geldig) as n_respondenten,
        count(*) filter (where not coalesce(scale.is_geldig, false)) as n_zonder_antwoord,
        count(*) filter (where scale.is_eens) as n_positief,
        cast(max(answers.loaded_at) as date) as peildatum

    from answers
    left join scale using (antwoord_code)
    group by all

),

final as (

    select
        counted.gemeente_code,
        'ceo' as onderzoek,
        counted.vraag,
        statements.indicator_code,
        counted.jaar,
        counted.n_respondenten,
        counted.n_zonder_antwoord,
        counted.n_positief,
        counted.peildatum

    from counted
    inner join statements using (vraag)

)

select * from final
