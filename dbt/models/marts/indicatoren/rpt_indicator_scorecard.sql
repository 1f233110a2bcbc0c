{#- The indicator table of the P&C documents: per gemeente, indicator and jaar
    the current realisatie next to the streefwaarde (the begroting, or else the
    prognose), and whether the goal was met given the indicator's direction.
    Grain: one row per gemeente, indicator and jaar with any current value. -#}
with

current_values as (

    select * from {{ ref('fct_indicatorwaarde') }}
    where is_actueel

),

indicatoren as (

    select * from {{ ref('dim_indicator') }}

),

links as (

    select * from {{ ref('dim_indicator_doelstelling') }}

),

bronnen as (

    select * from {{ ref('dim_bron') }}

),

per_year as (

    select
        gemeente_code,
        indicator_code,
        jaar,
        max(waarde) filter (where waardetype = 'realisatie') as realisatie,
        max(teller) filter (where waardetype = 'realisatie') as realisatie_teller,
        max(noemer) filter (where waardetype = 'realisatie') as realisatie_noemer,
        max(peildatum) filter (where waardetype = 'realisatie') as peildatum_realisatie,
        max(n_respondenten) filter (where waardetype = 'realisatie') as n_respondenten,
        max(n_effectief) filter (where waardetype = 'realisatie') as n_effectief,
        max(ci_ondergrens) filter (where waardetype = 'realisatie') as ci_ondergrens,
        max(ci_bovengrens) filter (where waardetype = 'realisatie') as ci_bovengrens,
        max(waarde) filter (where waardetype = 'begroting') as begroting,
        max(waarde) filter (where waardetype = 'prognose') as prognose

    from current_values
    group by all

),

with_previous as (

    select
        this_year.*,
        coalesce(this_year.begroting, this_year.prognose) as streefwaarde,
        case
            when this_year.begroting is not null then 'begroting'
            when this_year.prognose is not null then 'prognose'
        end as streefwaarde_type,
        previous_year.realisatie as realisatie_vorig_jaar

    from per_year as this_year
    left join per_year as previous_year
        on previous_year.gemeente_code = this_year.gemeente_code
        and previous_year.indicator_code = this_year.indicator_code
        and previous_year.jaar = this_year.jaar - 1

),

final as (

    select
        with_previous.gemeente_code,
        with_previous.indicator_code,
        indicatoren.indicator_naam,
        with_previous.jaar,
        links.doelstelling_code,
        links.doelstelling_naam,
        links.doelstelling_key,
        with_previous.realisatie,
        with_previous.realisatie_teller,
        with_previous.realisatie_noemer,
        with_previous.streefwaarde,
        with_previous.streefwaarde_type,
        case
            when with_previous.realisatie is null or with_previous.streefwaarde is null then null
            when indicatoren.richting = 'hoger' then with_previous.realisatie >= with_previous.streefwaarde
            else with_previous.realisatie <= with_previous.streefwaarde
        end as doel_gehaald,
        with_previous.realisatie_vorig_jaar,
        with_previous.realisatie - with_previous.realisatie_vorig_jaar as verschil_vorig_jaar,
        {{ percentage(
            '100 * (with_previous.realisatie - with_previous.realisatie_vorig_jaar)'
            ~ ' / nullif(with_previous.realisatie_vorig_jaar, 0)'
        ) }} as verschil_vorig_jaar_pct,
        indicatoren.eenheid,
        indicatoren.richting,
        indicatoren.bron_code,
        bronnen.bron_naam as bron,
        with_previous.peildatum_realisatie,
        with_previous.n_respondenten,
        with_previous.n_effectief,
        with_previous.ci_ondergrens,
        with_previous.ci_bovengrens,
        with_previous.n_respondenten < {{ var('min_respondenten_representatief') }} as niet_representatief

    from with_previous
    inner join indicatoren using (indicator_code)
    left join bronnen using (bron_code)
    left join links
        on links.gemeente_code = with_previous.gemeente_code
        and links.indicator_code = with_previous.indicator_code
        and valid_in_year(with_previous.jaar, links.geldig_van_jaar, links.geldig_tot_jaar)

)

select * from final
