{#- Survey figures computed from the microdata, with n, effective n and the 95%
    interval: the total and the breakdowns by wijk and age band. Grain: one row
    per gemeente, survey, outcome, year and breakdown cell. A cell from fewer
    than 10 respondents (or an effective n below 2) is suppressed: its figures are
    empty and `weergave` says so and why (it is never shown as zero). `weergave`
    rounds the figure to one decimal, half away from zero (31,25 -> 31,3%). -#}
with

results as (

    select * from {{ ref('int_enquetes__resultaten') }}

),

outcomes as (

    select * from {{ ref('dim_enquete_uitkomst') }}

),

wijken as (

    select * from {{ ref('dim_wijk') }}

),

leeftijdsklassen as (

    select * from {{ ref('dim_leeftijdsklasse') }}

),

final as (

    select
        results.gemeente_code,
        results.onderzoek,
        results.uitkomst,
        outcomes.uitkomst_key,
        results.maat,
        outcomes.indicator_code,
        results.jaar,
        results.indeling,
        results.groep,
        case results.indeling
            when 'totaal' then 'Totaal'
            when 'wijk' then coalesce(wijken.wijk_naam, 'Wijk onbekend')
            else 'Leeftijd ' || results.groep
        end as groep_naam,
        case results.indeling
            when 'totaal' then 0
            when 'leeftijdsklasse' then leeftijdsklassen.volgorde
        end as groep_volgorde,
        cast(round(results.waarde, 4) as decimal(18, 4)) as waarde,
        case
            when results.is_onderdrukt then 'onderdrukt (' || results.reden_onderdrukt || ')'
            when results.waarde is null then 'geen waarde'
            else replace(cast({{ round_half_away('results.waarde', 1) }} as varchar), '.', ',')
                || case when results.maat = 'percentage' then '%' else '' end
        end as weergave,
        results.is_onderdrukt,
        results.n_respondenten,
        results.n_zonder_antwoord,
        results.n_positief,
        cast(round(results.n_effectief, 1) as decimal(18, 1)) as n_effectief,
        cast(round(results.ci_ondergrens, 4) as decimal(18, 4)) as ci_ondergrens,
        cast(round(results.ci_bovengrens, 4) as decimal(18, 4)) as ci_bovengrens,
        results.is_niet_representatief,
        results.peildatum

    from results
    inner join outcomes using (onderzoek, uitkomst)
    left join wijken
        on results.indeling = 'wijk'
        and wijken.gemeente_code = results.gemeente_code
        and wijken.wijk_code = results.groep
    left join leeftijdsklassen
        on results.indeling = 'leeftijdsklasse'
        and leeftijdsklassen.leeftijdsklasse = results.groep

)

select * from final
