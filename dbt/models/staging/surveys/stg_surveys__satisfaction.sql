{#- One row per respondent of the current delivery of each survey and year (a
    new delivery of the same survey and year replaces the earlier one). The
    respondent number is replaced by a key: no direct identifiers downstream. -#}
with

source as (

    select * from {{ source('surveys', 'satisfaction') }}

),

current_deliveries as (

    select *
    from source
    qualify load_id = max(load_id) over (partition by gemeente_code, onderzoek, jaar)

),

final as (

    select
        {{ pseudonym(['gemeente_code', 'onderzoek', 'jaar', 'respondent_id']) }} as respondent_key,
        load_id,
        loaded_at,
        gemeente_code,
        onderzoek,
        jaar,
        cijfer,
        cijfer >= {{ var('tevreden_vanaf_cijfer') }} as is_tevreden

    from current_deliveries

)

select * from final
