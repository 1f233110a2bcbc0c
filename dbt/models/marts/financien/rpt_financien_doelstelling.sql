{#- "Baten, lasten en saldo per doelstelling (inclusief reservemutaties)", for
    every gemeente, jaar and fase. Grain: one row per gemeente, jaar, fase and
    doelstelling version. -#}
with

lines as (

    select * from {{ ref('fct_financien') }}

),

doelstellingen as (

    select * from {{ ref('dim_doelstelling') }}

),

per_doelstelling as (

    select
        gemeente_code,
        jaar,
        fase,
        doelstelling_key,
        sum(baten) as baten,
        sum(lasten) as lasten,
        sum(bedrag) as saldo,
        sum(case when is_reservemutatie then bedrag else 0 end) as reservemutaties_saldo

    from lines
    group by all

),

final as (

    select
        per_doelstelling.gemeente_code,
        per_doelstelling.jaar,
        per_doelstelling.fase,
        doelstellingen.programma_code,
        doelstellingen.doelstelling_code,
        doelstellingen.doelstelling_naam,
        per_doelstelling.doelstelling_key,
        {{ euro('per_doelstelling.baten') }} as baten,
        {{ euro('per_doelstelling.lasten') }} as lasten,
        {{ euro('per_doelstelling.saldo') }} as saldo,
        {{ euro('per_doelstelling.reservemutaties_saldo') }} as reservemutaties_saldo,
        {{ x1000('per_doelstelling.baten') }} as baten_x1000,
        {{ x1000('per_doelstelling.lasten') }} as lasten_x1000,
        {{ x1000('per_doelstelling.saldo') }} as saldo_x1000

    from per_doelstelling
    inner join doelstellingen using (doelstelling_key)

)

select * from final
