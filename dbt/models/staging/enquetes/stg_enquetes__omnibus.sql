{#- Every loaded omnibus respondent, current or superseded, one row per respondent
    with background, weight and an answer code per question (the codebook's
    questions), and the respondent number replaced by a key. The number itself
    stays in the build file only. -#}
with

source as (

    select * from {{ source('enquetes', 'omnibus') }}

),

final as (

    select
        {{ pseudonym(['gemeente_code', "'omnibus'", 'jaar', 'respondent_id']) }} as respondent_key,
        * exclude (file_name, source_row, weegfactor),
        cast(weegfactor as double) as weegfactor

    from source

)

select * from final
