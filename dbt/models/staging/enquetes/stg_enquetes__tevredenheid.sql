{#- Every loaded satisfaction respondent (inZet, MTO), current or superseded, with
    the respondent number replaced by a key: no direct identifiers downstream. -#}
with

source as (

    select * from {{ source('enquetes', 'tevredenheid') }}

),

final as (

    select
        {{ pseudonym(['gemeente_code', 'onderzoek', 'jaar', 'respondent_id']) }} as respondent_key,
        load_id,
        loaded_at,
        gemeente_code,
        onderzoek,
        jaar,
        cijfer

    from source

)

select * from final
