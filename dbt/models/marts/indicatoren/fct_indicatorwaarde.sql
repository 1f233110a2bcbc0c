{#- Grain: one row per gemeente, indicator, jaar, waardetype and peildatum as
    delivered (a corrected delivery with the same peildatum is another row), plus
    the values computed by a rekenregel and from microdata (surveys and
    registrations). The current
    value of each gemeente, indicator, jaar and waardetype (is_actueel) is the one
    computed from microdata if there is one, else the one with the latest
    peildatum (then the latest load). -#}
with

all_values as (

    select * from {{ ref('int_indicatoren__waarden') }}

),

links as (

    select * from {{ ref('dim_indicator_doelstelling') }}

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
        all_values.is_microdata,
        cast(all_values.n_respondenten as integer) as n_respondenten,
        cast(round(all_values.n_effectief, 1) as decimal(18, 1)) as n_effectief,
        cast(round(all_values.ci_ondergrens, 4) as decimal(18, 4)) as ci_ondergrens,
        cast(round(all_values.ci_bovengrens, 4) as decimal(18, 4)) as ci_bovengrens,
        all_values.peildatum,
        all_values.bron_document,
        all_values.is_actueel,
        all_values.load_id as bron_load_id,
        all_values.file_name as bron_bestand,
        all_values.source_row as bron_regel

    from all_values
    left join links
        on links.gemeente_code = all_values.gemeente_code
        and links.indicator_code = all_values.indicator_code
        and valid_in_year(all_values.jaar, links.geldig_van_jaar, links.geldig_tot_jaar)

)

select * from final
