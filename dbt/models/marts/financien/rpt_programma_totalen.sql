{#- The programme header: uitgaven, inkomsten and saldo excluding reserve
    mutations, and each one's share of the municipal total. Grain: one row
    per gemeente, jaar, fase and programme. -#}
with

lines as (

    select * from {{ ref('fct_financien') }}

),

doelstellingen as (

    select * from {{ ref('dim_doelstelling') }}

),

programmas as (

    select * from {{ ref('dim_programma') }}

),

municipal_totals as (

    select * from {{ ref('int_financien__gemeentetotalen_current') }}

),

-- A line's programme is its goal's, in the version valid in the line's year
-- (a missing one leaves programma_key empty, which the not_null test catches).
lines_with_programma as (

    select
        lines.*,
        programmas.programma_key

    from lines
    left join doelstellingen using (doelstelling_key)
    left join programmas
        on programmas.gemeente_code = doelstellingen.gemeente_code
        and programmas.programma_code = doelstellingen.programma_code
        and valid_in_year(lines.jaar, programmas.geldig_van_jaar, programmas.geldig_tot_jaar)

),

per_programma as (

    select
        gemeente_code,
        jaar,
        fase,
        programma_key,
        sum(case when not is_reservemutatie then lasten else 0 end) as uitgaven,
        sum(case when not is_reservemutatie then baten else 0 end) as inkomsten,
        sum(case when is_reservemutatie then baten else 0 end) as reservemutaties_baten,
        sum(case when is_reservemutatie then lasten else 0 end) as reservemutaties_lasten

    from lines_with_programma
    group by all

),

shares as (

    select
        per_programma.*,
        per_programma.uitgaven + per_programma.inkomsten as saldo,
        municipal_totals.uitgaven as gemeente_uitgaven,
        municipal_totals.inkomsten as gemeente_inkomsten,
        municipal_totals.saldo as gemeente_saldo,
        100 * per_programma.uitgaven / nullif(municipal_totals.uitgaven, 0) as aandeel_uitgaven_pct,
        100 * per_programma.inkomsten / nullif(municipal_totals.inkomsten, 0) as aandeel_inkomsten_pct,
        100 * (per_programma.uitgaven + per_programma.inkomsten) / nullif(municipal_totals.saldo, 0) as saldo_ratio_pct

    from per_programma
    left join municipal_totals using (gemeente_code, jaar, fase)

),

final as (

    select
        shares.gemeente_code,
        shares.jaar,
        shares.fase,
        programmas.programma_code,
        programmas.programma_naam,
        shares.programma_key,
        {{ euro('shares.uitgaven') }} as uitgaven,
        {{ euro('shares.inkomsten') }} as inkomsten,
        {{ euro('shares.saldo') }} as saldo,
        {{ x1000('shares.uitgaven') }} as uitgaven_x1000,
        {{ x1000('shares.inkomsten') }} as inkomsten_x1000,
        {{ x1000('shares.saldo') }} as saldo_x1000,
        {{ percentage('shares.aandeel_uitgaven_pct') }} as aandeel_uitgaven_pct,
        {{ percentage('shares.aandeel_inkomsten_pct') }} as aandeel_inkomsten_pct,
        {{ percentage('case when shares.saldo_ratio_pct between 0 and 100 then shares.saldo_ratio_pct end') }}
            as aandeel_saldo_pct,
        case
            when shares.gemeente_saldo is null then 'geen gemeentetotalen geleverd voor dit jaar en deze fase'
            when shares.gemeente_saldo = 0 then 'gemeentelijk saldo is 0: een aandeel daarvan bestaat niet'
            when shares.saldo_ratio_pct not between 0 and 100
                then 'programmasaldo is geen deel van het gemeentelijk saldo (verhouding '
                    || round(shares.saldo_ratio_pct, 1) || '%)'
        end as aandeel_saldo_toelichting,
        {{ euro('shares.gemeente_uitgaven') }} as gemeente_uitgaven,
        {{ euro('shares.gemeente_inkomsten') }} as gemeente_inkomsten,
        {{ euro('shares.gemeente_saldo') }} as gemeente_saldo,
        {{ euro('shares.reservemutaties_baten') }} as reservemutaties_baten,
        {{ euro('shares.reservemutaties_lasten') }} as reservemutaties_lasten

    from shares
    left join programmas using (programma_key)

)

select * from final
