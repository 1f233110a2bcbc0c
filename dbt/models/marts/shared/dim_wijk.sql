{#- The wijken (districts) per municipality, for survey breakdowns. -#}
with

wijken as (

    select * from {{ ref('wijken') }}

),

final as (

    select
        gemeente_code,
        wijk_code,
        wijk_naam

    from wijken

)

select * from final
