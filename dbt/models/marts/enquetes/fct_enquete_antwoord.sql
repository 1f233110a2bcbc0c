{#- Grain: one row per respondent and coded question of the current delivery
    of a survey and year (the CEO statements; the omnibus health, loneliness and
    volunteering questions). Blank answers are rows with an empty code. No
    direct identifiers. -#}
with

answers as (

    select * from {{ ref('int_enquetes__antwoorden') }}

),

questions as (

    select * from {{ ref('enquete_vragen') }}

),

scale as (

    select * from {{ ref('enquete_antwoorden') }}

),

item_scores as (

    select * from {{ ref('djg_scores') }}

),

final as (

    select
        answers.respondent_key,
        {{ surrogate_key(['answers.onderzoek', 'answers.vraag']) }} as vraag_key,
        {{ surrogate_key(['questions.antwoordschaal', 'answers.antwoord_code']) }} as antwoord_key,
        answers.gemeente_code,
        answers.onderzoek,
        answers.jaar,
        answers.vraag,
        answers.antwoord_code,
        scale.antwoord_label,
        coalesce(scale.is_geldig, false) as is_geldig,
        scale.is_positief,
        item_scores.score as djg_score,
        answers.load_id as bron_load_id

    from answers
    inner join questions using (onderzoek, vraag)
    left join scale
        on scale.antwoordschaal = questions.antwoordschaal
        and scale.antwoord_code = answers.antwoord_code
    left join item_scores
        on item_scores.djg_polariteit = questions.djg_polariteit
        and item_scores.antwoord_code = answers.antwoord_code
    -- Sex is background, published per respondent in fct_enquete_respondent.
    where questions.antwoordschaal <> 'geslacht'

)

select * from final
