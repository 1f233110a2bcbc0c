{#- Every survey figure computed from microdata, once for all surveys: one row
    per gemeente, survey, outcome, year and breakdown cell (the total, each wijk
    and each age band). Weighted with the respondents' weights (1 where a survey
    is not weighted):
    - percentage: the weighted share positive with the 95% Wilson interval on the
      effective n;
    - gemiddelde: the weighted mean with the 95% t interval on the effective n,
      t(0.975; n_eff - 1) exact (student_t_quantile, dagster_project/transform/functions.py).
    The effective n is Kish's (sum w)^2 / sum w^2. A cell is suppressed (every
    figure empty) when it rests on fewer than min_aantal_publicatie
    respondents, or when its effective n is below 2: a t interval needs at least
    1 degree of freedom, and no figure is published without its interval. That
    second case needs weights that put nearly all weight on one respondent.
    A table, not a view: only dbt's connection has student_t_quantile. -#}
{{ config(materialized='table') }}

with

measurements as (

    select * from {{ ref('int_enquetes__metingen') }}

),

aggregated as (

    select
        gemeente_code,
        onderzoek,
        uitkomst,
        maat,
        jaar,
        case
            when grouping(wijk_code) = 0 then 'wijk'
            when grouping(leeftijdsklasse) = 0 then 'leeftijdsklasse'
            else 'totaal'
        end as indeling,
        coalesce(
            case when grouping(wijk_code) = 0 then wijk_code end,
            case when grouping(leeftijdsklasse) = 0 then leeftijdsklasse end,
            'totaal'
        ) as groep,
        count(meetwaarde) as n_respondenten,
        count(*) - count(meetwaarde) as n_zonder_antwoord,
        count(*) filter (where maat = 'percentage' and meetwaarde = 1) as n_positief,
        sum(gewicht) filter (where meetwaarde is not null) as som_gewicht,
        sum(gewicht * gewicht) filter (where meetwaarde is not null) as som_gewicht_kwadraat,
        sum(gewicht * meetwaarde) as som_gewogen,
        sum(gewicht * meetwaarde * meetwaarde) as som_gewogen_kwadraat,
        -- The figure is about the survey year: its peildatum is the year's last day
        -- (not the load date, which would move with every reload).
        make_date(jaar, 12, 31) as peildatum

    from measurements
    -- The DuckDB dialect of the linter does not parse grouping sets yet.
    group by grouping sets (  -- noqa: PRS
        (gemeente_code, onderzoek, uitkomst, maat, jaar),
        (gemeente_code, onderzoek, uitkomst, maat, jaar, wijk_code),
        (gemeente_code, onderzoek, uitkomst, maat, jaar, leeftijdsklasse)
    )
    -- Surveys without wijk or age (CEO, inZet, MTO) have no breakdown.
    having not (grouping(wijk_code) = 0 and wijk_code is null)
        and not (grouping(leeftijdsklasse) = 0 and leeftijdsklasse is null)

),

estimated as (

    select
        *,
        som_gewogen / nullif(som_gewicht, 0) as schatting,
        som_gewicht ^ 2 / nullif(som_gewicht_kwadraat, 0) as n_effectief,
        -- Weighted variance of the measurements, corrected to the effective n.
        (
            greatest(som_gewogen_kwadraat / nullif(som_gewicht, 0) - schatting ^ 2, 0)
            * n_effectief / nullif(n_effectief - 1, 0)
        ) as variantie

    from aggregated

),

intervals as (

    select
        *,
        case maat
            when 'percentage' then 100 * schatting
            else schatting
        end as waarde_berekend,
        case maat
            when 'percentage' then {{ wilson_bound('schatting', 'n_effectief', -1) }}
            else schatting - student_t_quantile(0.975, n_effectief - 1) * sqrt(variantie / n_effectief)
        end as ci_ondergrens_berekend,
        case maat
            when 'percentage' then {{ wilson_bound('schatting', 'n_effectief', 1) }}
            else schatting + student_t_quantile(0.975, n_effectief - 1) * sqrt(variantie / n_effectief)
        end as ci_bovengrens_berekend,
        case
            when {{ is_onderdrukt('n_respondenten') }}
                then 'minder dan {{ var("min_aantal_publicatie") }} respondenten'
            when n_effectief < 2 then 'effectieve n kleiner dan 2'
        end as reden_onderdrukt

    from estimated

),

suppressed as (

    select
        *,
        reden_onderdrukt is not null as is_onderdrukt

    from intervals

),

final as (

    select
        gemeente_code,
        onderzoek,
        uitkomst,
        maat,
        jaar,
        indeling,
        groep,
        is_onderdrukt,
        reden_onderdrukt,
        case when not is_onderdrukt then n_respondenten end as n_respondenten,
        case when not is_onderdrukt then n_zonder_antwoord end as n_zonder_antwoord,
        case when not is_onderdrukt and maat = 'percentage' then n_positief end as n_positief,
        case when not is_onderdrukt then n_effectief end as n_effectief,
        case when not is_onderdrukt then waarde_berekend end as waarde,
        case when not is_onderdrukt then ci_ondergrens_berekend end as ci_ondergrens,
        case when not is_onderdrukt then ci_bovengrens_berekend end as ci_bovengrens,
        -- A suppressed cell rests on too few respondents (or too little weight) as well.
        is_onderdrukt or n_respondenten < {{ var('min_respondenten_representatief') }}
            as is_niet_representatief,
        peildatum

    from suppressed

)

select * from final
