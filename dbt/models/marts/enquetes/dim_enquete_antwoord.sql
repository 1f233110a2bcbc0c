{#- The answer scales of the codebook: one row per scale and answer code. The
    antwoord_key for a blank answer (empty code) has no row here. -#}
with

answers as (

    select * from {{ ref('enquete_antwoorden') }}

),

final as (

    select
        {{ surrogate_key(['antwoordschaal', 'antwoord_code']) }} as antwoord_key,
        antwoordschaal,
        antwoord_code,
        antwoord_label,
        is_geldig,
        is_positief

    from answers

)

select * from final
