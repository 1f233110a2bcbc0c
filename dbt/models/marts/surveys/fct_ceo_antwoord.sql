{#- Grain: one row per respondent and statement of the current CEO delivery of
    each year. No direct identifiers. -#}
with

answers as (

    select * from {{ ref('stg_surveys__ceo') }}

),

scale as (

    select * from {{ ref('ceo_antwoorden') }}

),

final as (

    select
        answers.respondent_key,
        answers.gemeente_code,
        answers.jaar,
        answers.vraag,
        answers.antwoord_code,
        scale.antwoord_label,
        scale.categorie,
        coalesce(scale.is_geldig, false) as is_geldig,
        coalesce(scale.is_eens, false) as is_eens,
        answers.load_id as bron_load_id

    from answers
    left join scale using (antwoord_code)

)

select * from final
