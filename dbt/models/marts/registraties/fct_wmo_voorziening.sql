{#- Grain: one row per Wmo maatwerkvoorziening of a client (productcategorie and
    start; overlapping lines merged) in the current exports. No direct identifiers:
    the client number is a keyed pseudonym, the age a band at the start. -#}
with

provisions as (

    select * from {{ ref('int_registraties__wmo_voorzieningen') }}

),

categories as (

    select * from {{ ref('wmo_productcategorieen') }}

),

leeftijdsklassen as (

    {{ leeftijdsklasse_per_leeftijd('standaard') }}

),

final as (

    select
        provisions.voorziening_key,
        provisions.gemeente_code,
        provisions.client_key,
        {{ surrogate_key(["'wmo'", 'provisions.productcategorie']) }} as productcategorie_key,
        provisions.productcategorie,
        categories.soort,
        provisions.begindatum,
        provisions.einddatum,
        provisions.einddatum is null as is_lopend,
        date_diff(
            'day', provisions.begindatum, coalesce(provisions.einddatum, provisions.registratie_einde)
        ) + 1 as duur_dagen,
        {{ onbekend('leeftijdsklassen.leeftijdsklasse') }} as leeftijdsklasse_begin,
        provisions.geslacht_code,
        provisions.wijk_code,
        {{ surrogate_key(['provisions.gemeente_code', onbekend('provisions.wijk_code')]) }} as wijk_key,
        provisions.aantal_regels,
        provisions.bron_load_id,
        provisions.bron_bestand,
        provisions.bron_regel

    from provisions
    inner join categories using (productcategorie)
    left join leeftijdsklassen
        on leeftijdsklassen.leeftijd = {{ leeftijd('provisions.geboortedatum', 'provisions.begindatum') }}

)

select * from final
