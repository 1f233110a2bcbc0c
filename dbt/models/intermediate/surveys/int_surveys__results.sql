{#- Every survey figure computed from microdata, one row per gemeente, survey, question and year. -#}
with

satisfaction as (

    select * from {{ ref('int_surveys__satisfaction_results') }}

),

ceo as (

    select * from {{ ref('int_surveys__ceo_results') }}

),

final as (

    select * from satisfaction
    union all by name
    select * from ceo

)

select * from final
