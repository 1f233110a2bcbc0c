{#- One row per omnibus respondent with the scores: the De Jong Gierveld
    loneliness score (0-11) with its emotional (0-6) and social (0-5) subscales,
    good self-rated health and volunteering.
    Item scoring follows seeds/reference/djg_scores.csv (by item polarity in
    enquete_vragen; "min of meer" always scores 1). Missing-item rule: with more
    than djg_max_ontbrekende_items blank items a respondent gets no score; within
    that, a blank item scores 0, so the score stays a whole number. -#}
with

respondents as (

    select * from {{ ref('int_enquetes__omnibus_current') }}

),

omnibus_answers as (

    select * from {{ ref('int_enquetes__antwoorden') }}
    where onderzoek = 'omnibus'

),

questions as (

    select * from {{ ref('enquete_vragen') }}
    where onderzoek = 'omnibus'

),

item_scores as (

    select * from {{ ref('djg_scores') }}

),

answers as (

    select * from {{ ref('enquete_antwoorden') }}

),

items as (

    -- The De Jong Gierveld items: the codebook's questions on the djg scale.
    select omnibus_answers.respondent_key, omnibus_answers.vraag, omnibus_answers.antwoord_code
    from omnibus_answers
    inner join questions using (vraag)
    where questions.antwoordschaal = 'djg'

),

scored_items as (

    select
        items.respondent_key,
        count(*) - count(items.antwoord_code) as djg_ontbrekende_items,
        sum(item_scores.score) filter (where questions.djg_subschaal = 'emotioneel') as emotioneel,
        sum(item_scores.score) filter (where questions.djg_subschaal = 'sociaal') as sociaal

    from items
    inner join questions using (vraag)
    left join item_scores
        on item_scores.djg_polariteit = questions.djg_polariteit
        and item_scores.antwoord_code = items.antwoord_code
    group by items.respondent_key

),

scores as (

    select
        respondent_key,
        djg_ontbrekende_items,
        djg_ontbrekende_items <= {{ var('djg_max_ontbrekende_items') }} as heeft_score,
        case when heeft_score then coalesce(emotioneel, 0) end as emotionele_eenzaamheid,
        case when heeft_score then coalesce(sociaal, 0) end as sociale_eenzaamheid

    from scored_items

),

final as (

    select
        respondents.respondent_key,
        respondents.respondent_id,
        respondents.load_id,
        respondents.loaded_at,
        respondents.gemeente_code,
        respondents.jaar,
        respondents.leeftijd,
        respondents.leeftijdsklasse,
        respondents.wijk_code,
        respondents.geslacht,
        respondents.weegfactor,
        respondents.gezondheid,
        health.is_positief as is_gezondheid_goed,
        case respondents.vrijwilligerswerk when 1 then true when 2 then false end as doet_vrijwilligerswerk,
        scores.djg_ontbrekende_items,
        scores.emotionele_eenzaamheid + scores.sociale_eenzaamheid as eenzaamheid_score,
        scores.emotionele_eenzaamheid,
        scores.sociale_eenzaamheid,
        case
            when eenzaamheid_score is null then null
            when eenzaamheid_score <= 2 then 'niet eenzaam'
            when eenzaamheid_score <= 8 then 'matig eenzaam'
            when eenzaamheid_score <= 10 then 'ernstig eenzaam'
            else 'zeer ernstig eenzaam'
        end as eenzaamheid_klasse,
        eenzaamheid_score >= 3 as is_eenzaam,
        eenzaamheid_score >= 9 as is_ernstig_eenzaam

    from respondents
    inner join scores using (respondent_key)
    left join answers as health
        on health.antwoordschaal = 'gezondheid'
        and health.antwoord_code = respondents.gezondheid

)

select * from final
