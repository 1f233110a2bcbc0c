{#- Grain: one row per gemeente, indicator, jaar, waardetype and peildatum as
    delivered (a corrected delivery with the same peildatum is another row), plus
    the values computed by a rekenregel. The current value of each gemeente,
    indicator, jaar and waardetype is the one with the latest peildatum (then the
    latest load): is_actueel. -#}
with

delivered as (

    select * from {{ ref('stg_indicators__values') }}

),

derived as (

    select * from {{ ref('int_indicators__values_derived') }}

),

links as (

    select * from {{ ref('dim_indicator_doelstelling') }}

),

all_values as (

    select
        gemeente_code, indicator_code, jaar, waardetype, waarde, teller, noemer, peildatum, bron_document,
        is_afgeleid_uit_teller_noemer, false as is_rekenregel, load_id, file_name, source_row
    from delivered

    union all

    select
        gemeente_code, indicator_code, jaar, waardetype, waarde, null, null, peildatum, bron_document,
        false, true, null, null, null
    from derived

),

final as (

    select
        {{ surrogate_key(['all_values.gemeente_code', 'all_values.indicator_code', 'all_values.jaar',
                          'all_values.waardetype', 'all_values.peildatum', 'all_values.load_id',
                          'all_values.source_row']) }} as indicatorwaarde_key,
        all_values.gemeente_code,
        all_values.indicator_code,
        links.doelstelling_key,
        all_values.jaar,
        all_values.waardetype,
        cast(all_values.waarde as decimal(18, 4)) as waarde,
        all_values.teller,
        all_values.noemer,
        all_values.is_afgeleid_uit_teller_noemer,
        all_values.is_rekenregel,
        all_values.peildatum,
        all_values.bron_document,
        row_number() over (
            partition by all_values.gemeente_code, all_values.indicator_code, all_values.jaar, all_values.waardetype
            order by all_values.peildatum desc, all_values.load_id desc nulls last, all_values.source_row desc
        ) = 1 as is_actueel,
        all_values.load_id as bron_load_id,
        all_values.file_name as bron_bestand,
        all_values.source_row as bron_regel

    from all_values
    left join links
        on links.gemeente_code = all_values.gemeente_code
        and links.indicator_code = all_values.indicator_code
        and {{ valid_in_year('all_values.jaar', 'links') }}

)

select * from final
