with

indicatoren as (

    select * from {{ ref('indicatoren') }}

),

eenheden as (

    select * from {{ ref('eenheden') }}

),

final as (

    select
        indicatoren.indicator_code,
        indicatoren.indicator_naam,
        indicatoren.naam_herkomst,
        indicatoren.eenheid,
        eenheden.omschrijving as eenheid_omschrijving,
        cast(eenheden.minimum as decimal(18, 4)) as eenheid_minimum,
        cast(eenheden.maximum as decimal(18, 4)) as eenheid_maximum,
        eenheden.is_geheel_getal,
        indicatoren.richting,
        indicatoren.bron_code,
        indicatoren.definitie,
        indicatoren.pb_2025 as is_pb_2025,
        indicatoren.geldig_van_jaar,
        indicatoren.geldig_tot_jaar

    from indicatoren
    left join eenheden using (eenheid)

)

select * from final
