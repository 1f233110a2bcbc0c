{#- Grain: one row per ledger line of the current delivery of each
    gemeente, jaar and fase (superseded deliveries are left out). The line
    reaches its programme through its goal (dim_doelstelling), one path only.
    Incremental: a run rebuilds only the partitions (gemeente, jaar, fase) that
    a file loaded since the last build delivered, each as a whole, so that the
    latest delivery of a partition replaces all its lines as in a full build. -#}
-- depends_on: {{ ref('int_financien__grootboek_deliveries') }}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_partitions',
    unique_key=['gemeente_code', 'jaar', 'fase'],
    on_schema_change='fail',
) }}

with

current_lines as (

    select * from {{ ref('int_financien__grootboek_current') }}

),

{% if is_incremental() %}

delivered_partitions as (

    -- Every load newer than the newest line already built delivered these.
    select distinct gemeente_code, jaar, fase
    from {{ ref('int_financien__grootboek_deliveries') }}
    where load_id > (select coalesce(max(bron_load_id), 0) from {{ this }})

),

{% endif %}

lines as (

    select current_lines.*
    from current_lines
    {% if is_incremental() %}
        inner join delivered_partitions using (gemeente_code, jaar, fase)
    {% endif %}

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
