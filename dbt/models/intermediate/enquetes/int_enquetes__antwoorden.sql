{#- One row per respondent and coded question of the current delivery of each
    survey and year (the CEO statements; the omnibus questions), unpivoted on
    the questions of the codebook (seeds/reference/enquete_vragen.csv): a new
    question is a codebook row. Blank answers stay as rows with an empty code. -#}
with

ceo as (

    select * from {{ ref('stg_enquetes__ceo') }}
    qualify {{ is_current_delivery(['gemeente_code', 'jaar']) }}

),

omnibus as (

    select * from {{ ref('int_enquetes__omnibus_current') }}

),

ceo_answers as (

    select respondent_key, gemeente_code, 'ceo' as onderzoek, jaar, load_id, loaded_at, vraag, antwoord_code
    from ceo
    unpivot include nulls (antwoord_code for vraag in ({{ codebook_questions('ceo') | join(', ') }}))

),

omnibus_answers as (

    select respondent_key, gemeente_code, 'omnibus' as onderzoek, jaar, load_id, loaded_at, vraag, antwoord_code
    from omnibus
    unpivot include nulls (antwoord_code for vraag in ({{ codebook_questions('omnibus') | join(', ') }}))

),

final as (

    select * from ceo_answers
    union all
    select * from omnibus_answers

)

select * from final
