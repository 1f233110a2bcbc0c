{#- One row per satisfaction respondent of the current delivery of each survey
    (inZet, MTO) and year, with the satisfaction rule: a grade of
    tevreden_vanaf_cijfer (7.5) or more is satisfied. -#}
with

respondents as (

    select * from {{ ref('stg_enquetes__tevredenheid') }}

),

current_respondents as (

    select *
    from respondents
    qualify {{ is_current_delivery(['gemeente_code', 'onderzoek', 'jaar']) }}

),

final as (

    select
        *,
        cijfer >= {{ var('tevreden_vanaf_cijfer') }} as is_tevreden

    from current_respondents

)

select * from final
