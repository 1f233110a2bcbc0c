{#- Every indicator value, delivered or computed, one row per gemeente, indicator,
    jaar, waardetype and peildatum as delivered (a corrected delivery with the
    same peildatum is another row), plus the values computed by a rekenregel and
    from microdata (surveys and registrations), with which one is current
    (is_actueel). -#}
with

delivered as (

    select * from {{ ref('stg_indicatoren__waarden') }}

),

derived as (

    select * from {{ ref('int_indicatoren__waarden_derived') }}

),

indicatoren as (

    select * from {{ ref('indicatoren') }}

),

surveys as (

    -- Survey totals become indicator values for the years the indicator exists;
    -- a suppressed total (fewer than 10 respondents) is not published.
    select results.*, outcomes.indicator_code
    from {{ ref('int_enquetes__resultaten') }} as results
    inner join {{ ref('enquete_uitkomsten') }} as outcomes using (onderzoek, uitkomst)
    inner join indicatoren
        on indicatoren.indicator_code = outcomes.indicator_code
        and valid_in_year(results.jaar, indicatoren.geldig_van_jaar, indicatoren.geldig_tot_jaar)
    where results.indeling = 'totaal' and not results.is_onderdrukt

),

registrations as (

    -- Figures counted from the registrations, for the years the indicator exists.
    select registration_values.*
    from {{ ref('int_registraties__indicatorwaarden') }} as registration_values
    inner join indicatoren
        on indicatoren.indicator_code = registration_values.indicator_code
        and valid_in_year(registration_values.jaar, indicatoren.geldig_van_jaar, indicatoren.geldig_tot_jaar)

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
        *,
        {{ is_current_indicator_value() }} as is_actueel

    from all_values

)

select * from final
