{#- Coverage of the targets (streefwaarden): per gemeente, indicator and jaar for
    which a budget promises a target, whether the warehouse has one. A target is
    expected in every year between an indicator's first and last target year, and
    in 2025-2028 for every indicator of the Programmabegroting 2025 (PB 2025) that
    is valid through 2028, for each gemeente that links it to a goal in that year.
    A missing target is reported (a warning of the suite on this mart, the run
    summary) and never holds a release back: a warehouse may start with a partial
    indicator file, or none. -#}
with

scorecard as (

    select * from {{ ref('rpt_indicator_scorecard') }}

),

indicatoren as (

    select * from {{ ref('dim_indicator') }}

),

links as (

    select * from {{ ref('dim_indicator_doelstelling') }}

),

target_years as (

    select
        gemeente_code,
        indicator_code,
        min(jaar) filter (where streefwaarde is not null) as eerste_jaar,
        max(jaar) filter (where streefwaarde is not null) as laatste_jaar

    from scorecard
    group by gemeente_code, indicator_code

),

between_targets as (

    select
        gemeente_code,
        indicator_code,
        cast(unnest(range(eerste_jaar, laatste_jaar + 1)) as integer) as jaar,
        'tussen eerste en laatste streefwaarde' as reden

    from target_years
    where eerste_jaar is not null

),

budget_2025 as (

    select distinct
        links.gemeente_code,
        indicatoren.indicator_code,
        cast(budget_years.jaar as integer) as jaar,
        'Programmabegroting 2025 (PB 2025)' as reden

    from indicatoren
    cross join range(2025, 2029) as budget_years (jaar)
    inner join links
        on links.indicator_code = indicatoren.indicator_code
        and valid_in_year(budget_years.jaar, links.geldig_van_jaar, links.geldig_tot_jaar)
    where indicatoren.is_pb_2025 and valid_in_year(2028, indicatoren.geldig_van_jaar, indicatoren.geldig_tot_jaar)

),

expected as (

    select
        gemeente_code,
        indicator_code,
        jaar,
        string_agg(reden, '; ' order by reden) as reden

    from (
        select * from budget_2025
        union all
        select * from between_targets
    ) as expected_years
    group by gemeente_code, indicator_code, jaar

),

final as (

    select
        expected.gemeente_code,
        expected.indicator_code,
        indicatoren.indicator_naam,
        expected.jaar,
        expected.reden,
        scorecard.streefwaarde is not null as is_streefwaarde_aanwezig,
        scorecard.streefwaarde,
        scorecard.streefwaarde_type

    from expected
    inner join indicatoren using (indicator_code)
    left join scorecard using (gemeente_code, indicator_code, jaar)

)

select * from final
