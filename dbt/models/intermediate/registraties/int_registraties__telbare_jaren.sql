{#- The years a registration can be counted for, per gemeente: every year whose
    days are all covered by the periods of its exports (together). peildatum is
    31 December of the year: the end of the period its figures are about. -#}
with

exports as (

    select * from {{ ref('int_registraties__leveringen') }}

),

periods as (

    select registratie, gemeente_code, periode_begin as begindatum, periode_einde as einddatum
    from exports

),

islands as (

    {{ number_islands('periods', ['registratie', 'gemeente_code'], 'begindatum <= vorige_einde + 1') }}

),

covered as (

    select registratie, gemeente_code, min(begindatum) as van, max(einddatum) as tot
    from islands
    group by registratie, gemeente_code, eiland_nr

),

years as (

    select
        registratie,
        gemeente_code,
        cast(unnest(range(year(van), year(tot) + 1)) as integer) as jaar,
        van,
        tot
    from covered

),

final as (

    select
        years.registratie,
        years.gemeente_code,
        years.jaar,
        make_date(years.jaar, 12, 31) as peildatum

    from years
    inner join exports
        on exports.registratie = years.registratie
        and exports.gemeente_code = years.gemeente_code
        and exports.periode_begin <= make_date(years.jaar, 12, 31)
        and exports.periode_einde >= make_date(years.jaar, 1, 1)
    where make_date(years.jaar, 1, 1) >= years.van and make_date(years.jaar, 12, 31) <= years.tot
    group by years.registratie, years.gemeente_code, years.jaar

)

select * from final
