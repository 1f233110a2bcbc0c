{#- Grain: one row per respondent of the current delivery of a survey and year.
    No direct identifiers: the respondent number is replaced by a key. -#}
with

respondents as (

    select * from {{ ref('stg_surveys__satisfaction') }}

),

final as (

    select
        respondent_key,
        gemeente_code,
        onderzoek,
        jaar,
        cijfer,
        is_tevreden,
        load_id as bron_load_id

    from respondents

)

select * from final
