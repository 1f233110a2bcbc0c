{#- The jeugdhulp figures per gemeente and year, counted from the registration:
    unique youths, instroom, uitstroom, the share with three years or more (with
    teller and noemer) and the mean ages at instroom and uitstroom; for the total
    and by productcategorie, age band and wijk. Grain: one row per gemeente, jaar,
    uitkomst and breakdown cell. A suppressed cell (fewer than 10 youths) has no
    figures and is never shown as zero. -#}
with

figures as (

    select * from {{ ref('int_registraties__jeugdhulp_cijfers') }}

),

categories as (

    select * from {{ ref('dim_productcategorie') }}
    where registratie = 'jeugdhulp'

),

wijken as (

    select * from {{ ref('dim_wijk') }}

),

leeftijdsklassen as (

    select * from {{ ref('dim_leeftijdsklasse') }}
    where indeling = 'jeugd'

),

final as (

    select
        figures.gemeente_code,
        figures.jaar,
        figures.uitkomst,
        figures.maat,
        figures.indicator_code,
        figures.indeling,
        figures.groep,
        case figures.indeling
            when 'totaal' then 'Totaal'
            when 'productcategorie' then categories.productcategorie_label
            when 'leeftijdsklasse' then 'Leeftijd ' || figures.groep
            else coalesce(wijken.wijk_naam, 'Wijk onbekend')
        end as groep_naam,
        case figures.indeling
            when 'totaal' then 0
            when 'leeftijdsklasse' then leeftijdsklassen.volgorde
        end as groep_volgorde,
        cast(round(figures.waarde, 4) as decimal(18, 4)) as waarde,
        figures.teller,
        figures.noemer,
        figures.n_jeugdigen,
        case
            when figures.is_onderdrukt then {{ onderdrukt_weergave('jeugdigen') }}
            when figures.maat = 'aantal' then {{ nl_aantal('figures.waarde') }}
            else replace(cast({{ round_half_away('figures.waarde', 1) }} as varchar), '.', ',')
                || case when figures.maat = 'percentage' then '%' else '' end
        end as weergave,
        figures.is_onderdrukt,
        figures.peildatum

    from figures
    left join categories
        on figures.indeling = 'productcategorie'
        and categories.productcategorie = figures.groep
    left join wijken
        on figures.indeling = 'wijk'
        and wijken.gemeente_code = figures.gemeente_code
        and wijken.wijk_code = figures.groep
    left join leeftijdsklassen
        on figures.indeling = 'leeftijdsklasse'
        and leeftijdsklassen.leeftijdsklasse = figures.groep

)

select * from final
