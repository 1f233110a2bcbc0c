{#- Values computed by a documented rule (seeds/reference/indicator_rekenregels.csv)
    instead of delivered. Rule `gemiddelde_realisatie`: the mean of the current
    realisaties of the basis years, only when every basis year has one. The
    result is rounded to the rule's `decimalen`, half away from zero, so that it
    is a value of its unit: a count is a whole number (1.312,5 -> 1.313). -#}
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
        rules.decimalen,
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
        cast({{ round_half_away('waarde', 'decimalen') }} as decimal(18, 4)) as waarde,
        peildatum,
        'Rekenregel: ' || toelichting as bron_document

    from basis
    where basis_jaren = verwachte_basis_jaren

)

select * from final
