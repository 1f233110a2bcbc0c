{#- The Wmo CEO answers of the current delivery of each year, one row per
    respondent and statement (unpivoted), with the respondent number replaced
    by a key. Blank answers stay as rows with an empty code. -#}
with

source as (

    select * from {{ source('surveys', 'ceo') }}

),

current_deliveries as (

    select *
    from source
    qualify load_id = max(load_id) over (partition by gemeente_code, jaar)

),

unpivoted as (

    -- Blank answers are kept (include nulls): they count as "no answer".
    select *
    from current_deliveries
    unpivot include nulls (
        antwoord_code for vraag in (
            wist_waar, snel_geholpen, serieus_genomen, samen_oplossingen, kwaliteit_goed, past_bij_hulpvraag,
            beter_dingen_doen, beter_redden, betere_kwaliteit_van_leven
        )
    )

),

final as (

    select
        {{ pseudonym(['gemeente_code', "'ceo'", 'jaar', 'respondent_id']) }} as respondent_key,
        load_id,
        loaded_at,
        gemeente_code,
        jaar,
        vraag,
        antwoord_code

    from unpivoted

)

select * from final
