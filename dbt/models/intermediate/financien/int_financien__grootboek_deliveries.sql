{#- Supersession history: which loaded file delivered which partition
    (gemeente, jaar, fase), and which delivery is current. The latest load wins. -#}
with

lines as (

    select * from {{ ref('stg_financien__grootboek') }}

),

deliveries as (

    select
        gemeente_code,
        jaar,
        fase,
        load_id,
        file_name,
        min(loaded_at) as loaded_at,
        count(*) as line_count,
        sum(bedrag) as bedrag_totaal

    from lines
    group by all

),

final as (

    select
        *,
        {{ is_current_delivery(['gemeente_code', 'jaar', 'fase']) }} as is_current,
        lead(load_id) over (partition by gemeente_code, jaar, fase order by load_id) as superseded_by_load_id

    from deliveries

)

select * from final
