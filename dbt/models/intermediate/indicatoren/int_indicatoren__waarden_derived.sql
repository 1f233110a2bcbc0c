{#- Values computed by a documented rule (seeds/reference/indicator_rekenregels.csv)
    instead of delivered. Rule `gemiddelde_realisatie`: the mean of the current
    realisaties of the basis years, only when every basis year has one. -#}
with

delivered as (

    select *, false as is_microdata from {{ ref('stg_indicatoren__waarden') }}
    qualify {{ is_current_indicator_value() }}

),

rules as (

    select * from {{ ref('indicator_rekenregels') }}
    where regel = 'gemiddelde_realisatie'

),

basis as (

    select
        rules.gemeente_code,
        rules.indicator_code,
        rules.waardetype,
        rules.van_jaar,
        rules.tot_jaar,
        rules.toelichting,
        avg(delivered.waarde) as waarde,
        count(delivered.waarde) as basis_jaren,
        rules.basis_tot_jaar - rules.basis_van_jaar + 1 as verwachte_basis_jaren,
        max(delivered.peildatum) as peildatum

    from rules
    left join delivered
        on delivered.gemeente_code = rules.gemeente_code
        and delivered.indicator_code = rules.indicator_code
        and delivered.waardetype = 'realisatie'
        and delivered.jaar between rules.basis_van_jaar and rules.basis_tot_jaar
    group by all

),

final as (

    select
        gemeente_code,
        indicator_code,
        cast(unnest(range(van_jaar, tot_jaar + 1)) as integer) as jaar,
        waardetype,
        cast(round(waarde, 4) as decimal(18, 4)) as waarde,
        peildatum,
        'Rekenregel: ' || toelichting as bron_document

    from basis
    where basis_jaren = verwachte_basis_jaren

)

select * from final
