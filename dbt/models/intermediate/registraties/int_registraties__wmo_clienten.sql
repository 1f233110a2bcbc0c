{#- Unique Wmo maatwerk clients per year: one row per gemeente, jaar and client
    with at least one day of a maatwerkvoorziening in the year, for every year the
    exports cover in full. No age limit. -#}
with

provisions as (

    select * from {{ ref('int_registraties__wmo_voorzieningen') }}

),

categories as (

    select * from {{ ref('wmo_productcategorieen') }}

),

years as (

    select * from {{ ref('int_registraties__telbare_jaren') }}
    where registratie = 'wmo'

),

leeftijdsklassen as (

    {{ leeftijdsklasse_per_leeftijd('standaard') }}

),

provision_years as (

    select
        provisions.*,
        categories.soort,
        years.jaar,
        years.peildatum,
        least(coalesce(provisions.einddatum, make_date(years.jaar, 12, 31)), make_date(years.jaar, 12, 31))
            as laatste_dag_in_jaar

    from provisions
    inner join categories using (productcategorie)
    inner join years
        on years.gemeente_code = provisions.gemeente_code
        and years.jaar between year(provisions.begindatum) and year(coalesce(provisions.einddatum, date '9999-12-31'))

),

clients as (

    select
        gemeente_code,
        jaar,
        client_key,
        any_value(peildatum) as peildatum,
        {{ leeftijd('any_value(geboortedatum)', 'max(laatste_dag_in_jaar)') }} as leeftijd,
        {{ sorted_distinct_list('soort') }} as soorten,
        arg_max(wijk_code, begindatum) filter (where wijk_code is not null) as wijk_code

    from provision_years
    group by gemeente_code, jaar, client_key

),

final as (

    select
        clients.gemeente_code,
        clients.jaar,
        clients.client_key,
        clients.leeftijd,
        leeftijdsklassen.leeftijdsklasse,
        clients.wijk_code,
        clients.soorten,
        clients.peildatum

    from clients
    left join leeftijdsklassen
        on leeftijdsklassen.leeftijd = clients.leeftijd

)

select * from final
