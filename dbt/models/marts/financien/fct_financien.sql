{#- Grain: one row per ledger line of the current delivery of each
    gemeente, jaar and fase (superseded deliveries are left out). The line
    reaches its programme through its goal (dim_doelstelling), one path only. -#}
with

lines as (

    select * from {{ ref('int_financien__grootboek_current') }}

),

final as (

    select
        {{ surrogate_key(['load_id', 'source_row']) }} as financien_regel_key,
        gemeente_code,
        jaar,
        fase,
        {{ surrogate_key(['gemeente_code', 'doelstelling_versie']) }} as doelstelling_key,
        {{ surrogate_key(['taakveld_code', 'taakveld_geldig_van_jaar']) }} as taakveld_key,
        kostenplaats,
        soort,
        is_reservemutatie,
        bedrag,
        case when soort = 'baten' then bedrag else 0 end as baten,
        case when soort = 'lasten' then bedrag else 0 end as lasten,
        load_id as bron_load_id,
        file_name as bron_bestand,
        source_row as bron_regel

    from lines

)

select * from final
