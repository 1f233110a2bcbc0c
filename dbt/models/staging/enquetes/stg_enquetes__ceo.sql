{#- Every loaded Wmo CEO respondent, current or superseded, one row per
    respondent with an answer code per statement (the codebook's questions), and
    the respondent number replaced by a key. -#}
with

source as (

    select * from {{ source('enquetes', 'ceo') }}

),

final as (

    select
        {{ pseudonym(['gemeente_code', "'ceo'", 'jaar', 'respondent_id']) }} as respondent_key,
        * exclude (respondent_id, file_name, source_row)

    from source

)

select * from final
