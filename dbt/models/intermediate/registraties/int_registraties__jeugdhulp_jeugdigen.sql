{{ config(materialized='table') }}
{#- The CBS counting rules, per youth and year: one row per gemeente, jaar and
    youth with at least one day of jeugdhulp in the year on which the youth was
    younger than 23 (0 up to and including 22), for every year the exports cover
    in full (int_registraties__telbare_jaren). Per care period and year:
    - instroom: the period starts in the year, age on its first day 22 or less;
    - uitstroom: the period ends in the year (no care follows within the gap
      rule), age on its last day 22 or less;
    - drie jaar of langer: the period has lasted three years or more on its
      last counted day of the year (the earliest of 31 December, its own end and
      the day before the 23rd birthday): that day + 1 >= start + 3 years;
    - ages in whole years on the first (instroom) and last (uitstroom) day.
    A youth counts once per year; with two periods starting in a year, the age at
    the first instroom counts, with two ending, the age at the last uitstroom. -#}
with

periods as (

    select * from {{ ref('int_registraties__jeugdhulp_zorgperiodes') }}

),

trajectories as (

    select * from {{ ref('int_registraties__jeugdhulp_trajecten') }}
    where telt_als_jeugdhulp

),

years as (

    select * from {{ ref('int_registraties__telbare_jaren') }}
    where registratie = 'jeugdhulp'

),

leeftijdsklassen as (

    {{ leeftijdsklasse_per_leeftijd('jeugd') }}

),

period_years as (

    select
        periods.zorgperiode_key,
        periods.gemeente_code,
        periods.client_key,
        periods.begindatum,
        periods.einddatum,
        periods.geboortedatum,
        years.jaar,
        years.peildatum,
        make_date(years.jaar, 1, 1) as jaar_begin,
        make_date(years.jaar, 12, 31) as jaar_einde,
        {{ laatste_jeugddag('periods.geboortedatum') }} as laatste_jeugddag

    from periods
    inner join years
        on years.gemeente_code = periods.gemeente_code
        and years.jaar between year(periods.begindatum) and year(coalesce(periods.einddatum, date '9999-12-31'))

),

counted_period_years as (

    select
        *,
        greatest(begindatum, jaar_begin) as eerste_teldag,
        least(coalesce(einddatum, jaar_einde), jaar_einde, laatste_jeugddag) as laatste_teldag,
        {{ leeftijd('geboortedatum', 'begindatum') }} as leeftijd_begin,
        {{ leeftijd('geboortedatum', 'einddatum') }} as leeftijd_einde,
        year(begindatum) = jaar and begindatum <= laatste_jeugddag as is_instroom,
        coalesce(year(einddatum) = jaar and einddatum <= laatste_jeugddag, false) as is_uitstroom,
        (
            least(coalesce(einddatum, jaar_einde), jaar_einde, laatste_jeugddag) + 1
            >= cast(begindatum + interval 3 year as date)
        ) as is_drie_jaar_of_langer

    from period_years
    where greatest(begindatum, jaar_begin) <= least(coalesce(einddatum, jaar_einde), jaar_einde, laatste_jeugddag)

),

trajectory_years as (

    -- The trajectories of each counted period and year with a counted day in that year.
    select
        counted_period_years.*,
        trajectories.productcategorie,
        trajectories.wijk_code,
        trajectories.begindatum as traject_begindatum,
        trajectories.einddatum as traject_einddatum

    from counted_period_years
    inner join trajectories
        on trajectories.gemeente_code = counted_period_years.gemeente_code
        and trajectories.client_key = counted_period_years.client_key
        and (
            trajectories.begindatum
            between counted_period_years.begindatum and coalesce(counted_period_years.einddatum, date '9999-12-31')
        )
    where greatest(trajectories.begindatum, counted_period_years.jaar_begin)
        <= least(
            coalesce(trajectories.einddatum, counted_period_years.jaar_einde),
            counted_period_years.jaar_einde,
            counted_period_years.laatste_jeugddag
        )

),

youths as (

    select
        gemeente_code,
        jaar,
        client_key,
        any_value(peildatum) as peildatum,
        bool_or(is_instroom) as is_instroom,
        bool_or(is_uitstroom) as is_uitstroom,
        bool_or(is_drie_jaar_of_langer) as is_drie_jaar_of_langer,
        arg_min(leeftijd_begin, begindatum) filter (where is_instroom) as leeftijd_instroom,
        arg_max(leeftijd_einde, einddatum) filter (where is_uitstroom) as leeftijd_uitstroom,
        {{ leeftijd('any_value(geboortedatum)', 'max(laatste_teldag)') }} as leeftijd,
        {{ sorted_distinct_list('productcategorie') }} as productcategorieen,
        -- The forms of care that start a period (instroom) or end it (uitstroom).
        {{ sorted_distinct_list('productcategorie', 'is_instroom and traject_begindatum = begindatum') }}
            as productcategorieen_instroom,
        {{ sorted_distinct_list('productcategorie', 'is_uitstroom and traject_einddatum = einddatum') }}
            as productcategorieen_uitstroom,
        arg_max(wijk_code, traject_begindatum) filter (where wijk_code is not null) as wijk_code

    from trajectory_years
    group by gemeente_code, jaar, client_key

),

final as (

    select
        youths.gemeente_code,
        youths.jaar,
        youths.client_key,
        youths.is_instroom,
        youths.is_uitstroom,
        youths.is_drie_jaar_of_langer,
        youths.leeftijd_instroom,
        youths.leeftijd_uitstroom,
        youths.leeftijd,
        leeftijdsklassen.leeftijdsklasse,
        youths.wijk_code,
        youths.productcategorieen,
        coalesce(youths.productcategorieen_instroom, []) as productcategorieen_instroom,
        coalesce(youths.productcategorieen_uitstroom, []) as productcategorieen_uitstroom,
        youths.peildatum

    from youths
    left join leeftijdsklassen
        on leeftijdsklassen.leeftijd = youths.leeftijd

)

select * from final
