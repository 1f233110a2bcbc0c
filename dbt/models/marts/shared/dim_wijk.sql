{#- The wijken (districts) per municipality, for survey breakdowns, plus an
    "onbekend" member per municipality for respondents without a wijk. -#}
with

wijken as (

    select * from {{ ref('wijken') }}

),

gemeenten as (

    select * from {{ ref('gemeenten') }}

),

unknown as (

    select
        gemeente_code,
        {{ onbekend() }} as wijk_code,
        'Wijk onbekend' as wijk_naam

    from gemeenten

),

members as (

    select gemeente_code, wijk_code, wijk_naam
    from wijken

    union all

    select * from unknown

),

final as (

    select
        {{ surrogate_key(['gemeente_code', 'wijk_code']) }} as wijk_key,
        gemeente_code,
        wijk_code,
        wijk_naam

    from members

)

select * from final
