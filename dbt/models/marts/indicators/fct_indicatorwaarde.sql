{#- Grain: one row per gemeente, indicator, jaar, waardetype and peildatum as
    delivered (a corrected delivery with the same peildatum is another row), plus
    the values computed by a rekenregel and from microdata (surveys and
    registrations). The current value of each gemeente, indicator, jaar and
    waardetype (is_actueel) is the one computed from microdata if there is one,
    else the one with the latest peildatum (then the latest load). -#}
with

delivered as (

    select * from {{ ref('stg_indicators__values') }}

),

derived as (

    select * from {{ ref('int_indicators__values_derived') }}

),

indicatoren as (

    select * from {{ ref('dim_indicator') }}

),

surveys as (

    -- Survey totals become indicator values for the years the indicator exists;
    -- a suppressed total (fewer than 10 respondents) is not published.
    select results.*, outcomes.indicator_code
    from {{ ref('int_surveys__results') }} as results
    inner join {{ ref('enquete_uitkomsten') }} as outcomes using (onderzoek, uitkomst)
    inner join indicatoren
        on indicatoren.indicator_code = outcomes.indicator_code
        and {{ valid_in_year('results.jaar', 'indicatoren') }}
    where results.indeling = 'totaal' and not results.is_onderdrukt

),

registrations as (

    -- Figures counted from the registrations, for the years the indicator exists.
    select registration_values.*
    from {{ ref('int_registraties__indicatorwaarden') }} as registration_values
    inner join indicatoren
        on indicatoren.indicator_code = registration_values.indicator_code
        and {{ valid_in_year('registration_values.jaar', 'indicatoren') }}

),

links as (

    select * from {{ ref('dim_indicator_doelstelling') }}

),

all_values as (

    select
        gemeente_code, indicator_code, jaar, waardetype, waarde, teller, noemer, peildatum, bron_document,
        is_afgeleid_uit_teller_noemer, false as is_rekenregel, false as is_microdata,
        null as n_respondenten, null as n_effectief, null as ci_ondergrens, null as ci_bovengrens,
        load_id, file_name, source_row
    from delivered

    union all

    select
        gemeente_code, indicator_code, jaar, waardetype, waarde, null, null, peildatum, bron_document,
        false, true, false, null, null, null, null, null, null, null
    from derived

    union all

    select
        gemeente_code, indicator_code, jaar, 'realisatie', waarde,
        -- Teller and noemer only where they give the value: an unweighted percentage.
        case when maat = 'percentage' and n_effectief = n_respondenten then n_positief end,
        case when maat = 'percentage' and n_effectief = n_respondenten then n_respondenten end,
        peildatum, 'Microdata ' || onderzoek || ' ' || jaar || ' (' || uitkomst || ')', false, false, true,
        n_respondenten, n_effectief, ci_ondergrens, ci_bovengrens, null, null, null
    from surveys

    union all

    select
        gemeente_code, indicator_code, jaar, 'realisatie', waarde, teller, noemer, peildatum, bron_document,
        teller is not null, false, true, null, null, null, null, null, null, null
    from registrations

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
        row_number() over (
            partition by all_values.gemeente_code, all_values.indicator_code, all_values.jaar, all_values.waardetype
            order by all_values.is_microdata desc, all_values.peildatum desc, all_values.load_id desc nulls last,
                all_values.source_row desc
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
