{#- The jeugdhulp figures per gemeente and year, for the total and by
    productcategorie, age band (jeugd) and wijk: unique youths, instroom,
    uitstroom, the share with three years or more (teller and noemer), and the
    mean age at instroom and uitstroom. A youth counts in every productcategorie
    with care in the year (so the categories add up to more than the total); for
    instroom and uitstroom in the categories that start or end the period. A
    figure resting on fewer than min_aantal_publicatie youths is suppressed (the
    share also when its teller is that small). -#}
with

youths as (

    select * from {{ ref('int_registraties__jeugdhulp_jeugdigen') }}

),

outcomes as (

    select * from {{ ref('registratie_uitkomsten') }}
    where registratie = 'jeugdhulp'

),

cells as (

    select
        gemeente_code, jaar, peildatum, 'totaal' as indeling, 'totaal' as groep,
        is_instroom, is_uitstroom, is_drie_jaar_of_langer, leeftijd_instroom, leeftijd_uitstroom
    from youths

    union all

    select
        gemeente_code, jaar, peildatum, 'leeftijdsklasse', leeftijdsklasse,
        is_instroom, is_uitstroom, is_drie_jaar_of_langer, leeftijd_instroom, leeftijd_uitstroom
    from youths

    union all

    select
        gemeente_code, jaar, peildatum, 'wijk', coalesce(wijk_code, 'onbekend'),
        is_instroom, is_uitstroom, is_drie_jaar_of_langer, leeftijd_instroom, leeftijd_uitstroom
    from youths

    union all

    select
        gemeente_code, jaar, peildatum, 'productcategorie', productcategorie,
        list_contains(productcategorieen_instroom, productcategorie),
        list_contains(productcategorieen_uitstroom, productcategorie),
        is_drie_jaar_of_langer,
        case when list_contains(productcategorieen_instroom, productcategorie) then leeftijd_instroom end,
        case when list_contains(productcategorieen_uitstroom, productcategorie) then leeftijd_uitstroom end
    from youths, unnest(productcategorieen) as categories (productcategorie)

),

aggregated as (

    select
        gemeente_code,
        jaar,
        indeling,
        groep,
        max(peildatum) as peildatum,
        count(*) as jeugdigen,
        count(*) filter (where is_instroom) as instroom,
        count(*) filter (where is_uitstroom) as uitstroom,
        count(*) filter (where is_drie_jaar_of_langer) as drie_jaar_of_langer,
        avg(leeftijd_instroom) filter (where is_instroom) as leeftijd_instroom,
        avg(leeftijd_uitstroom) filter (where is_uitstroom) as leeftijd_uitstroom

    from cells
    group by gemeente_code, jaar, indeling, groep

),

figures as (

    select
        gemeente_code, jaar, indeling, groep, peildatum, 'jeugdigen' as uitkomst,
        cast(jeugdigen as double) as waarde, null as teller, null as noemer, jeugdigen as n_jeugdigen
    from aggregated
    union all
    select gemeente_code, jaar, indeling, groep, peildatum, 'instroom', instroom, null, null, instroom as n_jeugdigen
    from aggregated
    union all
    select gemeente_code, jaar, indeling, groep, peildatum, 'uitstroom', uitstroom, null, null, uitstroom as n_jeugdigen
    from aggregated
    union all
    select
        gemeente_code, jaar, indeling, groep, peildatum, 'drie_jaar_of_langer',
        100.0 * drie_jaar_of_langer / jeugdigen, drie_jaar_of_langer, jeugdigen, jeugdigen as n_jeugdigen
    from aggregated
    union all
    select gemeente_code, jaar, indeling, groep, peildatum, 'leeftijd_instroom', leeftijd_instroom, null, null, instroom
    from aggregated
    union all
    select
        gemeente_code, jaar, indeling, groep, peildatum, 'leeftijd_uitstroom', leeftijd_uitstroom, null, null, uitstroom
    from aggregated

),

final as (

    select
        figures.gemeente_code,
        figures.jaar,
        figures.uitkomst,
        outcomes.maat,
        outcomes.indicator_code,
        figures.indeling,
        figures.groep,
        {{ is_onderdrukt('figures.n_jeugdigen') }} or coalesce({{ is_onderdrukt('figures.teller') }}, false)
            as is_onderdrukt,
        case when not is_onderdrukt then figures.waarde end as waarde,
        case when not is_onderdrukt then figures.teller end as teller,
        case when not is_onderdrukt then figures.noemer end as noemer,
        case when not is_onderdrukt then figures.n_jeugdigen end as n_jeugdigen,
        figures.peildatum

    from figures
    inner join outcomes using (uitkomst)

)

select * from final
