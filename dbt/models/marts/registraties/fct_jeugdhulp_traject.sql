{#- Grain: one row per jeugdhulp trajectory of a youth (provider, productcategorie
    and start; overlapping lines merged) in the current exports. No direct
    identifiers: the client number is a keyed pseudonym and the date of birth is
    published as the age band at the start only. -#}
with

trajectories as (

    select * from {{ ref('int_registraties__jeugdhulp_trajecten') }}

),

periods as (

    select * from {{ ref('int_registraties__jeugdhulp_zorgperiodes') }}

),

leeftijdsklassen as (

    {{ leeftijdsklasse_per_leeftijd('jeugd') }}

),

final as (

    select
        trajectories.traject_key,
        trajectories.gemeente_code,
        trajectories.client_key,
        periods.zorgperiode_key,
        {{ surrogate_key(["'jeugdhulp'", 'trajectories.productcategorie']) }} as productcategorie_key,
        trajectories.productcategorie,
        trajectories.telt_als_jeugdhulp,
        trajectories.aanbieder_agb,
        trajectories.begindatum,
        trajectories.einddatum,
        trajectories.einddatum is null as is_lopend,
        date_diff(
            'day', trajectories.begindatum, coalesce(trajectories.einddatum, trajectories.registratie_einde)
        ) + 1 as duur_dagen,
        trajectories.reden_einde,
        {{ onbekend('leeftijdsklassen.leeftijdsklasse') }} as leeftijdsklasse_begin,
        trajectories.geslacht_code,
        trajectories.wijk_code,
        {{ surrogate_key(['trajectories.gemeente_code', onbekend('trajectories.wijk_code')]) }} as wijk_key,
        trajectories.aantal_regels,
        trajectories.bron_load_id,
        trajectories.bron_bestand,
        trajectories.bron_regel

    from trajectories
    left join periods
        on trajectories.telt_als_jeugdhulp
        and periods.gemeente_code = trajectories.gemeente_code
        and periods.client_key = trajectories.client_key
        and trajectories.begindatum between periods.begindatum and coalesce(periods.einddatum, date '9999-12-31')
    left join leeftijdsklassen
        on leeftijdsklassen.leeftijd = {{ leeftijd('trajectories.geboortedatum', 'trajectories.begindatum') }}

)

select * from final
