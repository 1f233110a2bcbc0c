{#- The answer scales of the codebook: one row per scale and answer code, plus
    a "geen antwoord" member per scale for blank answers (empty code), so that
    every antwoord_key of fct_enquete_antwoord has its row here. -#}
with

answers as (

    select * from {{ ref('enquete_antwoorden') }}

),

scales as (

    select distinct antwoordschaal
    from answers

),

no_answer as (

    select
        antwoordschaal,
        cast(null as integer) as antwoord_code,
        'geen antwoord' as antwoord_label,
        false as is_geldig,
        cast(null as boolean) as is_positief

    from scales

),

members as (

    select antwoordschaal, antwoord_code, antwoord_label, is_geldig, is_positief
    from answers

    union all

    select * from no_answer

),

final as (

    select
        {{ surrogate_key(['antwoordschaal', 'antwoord_code']) }} as antwoord_key,
        antwoordschaal,
        antwoord_code,
        antwoord_label,
        is_geldig,
        is_positief

    from members

)

select * from final
