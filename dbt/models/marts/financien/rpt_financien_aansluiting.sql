{#- Reconciliation of the goal table (including reserve mutations) with the
    programme header (excluding them). The difference must be exactly the
    reserve mutations; `onverklaard_*` must be 0. Grain: one row per
    gemeente, jaar, fase and programme. -#}
with

doelstellingen as (

    select * from {{ ref('rpt_financien_doelstelling') }}

),

programma as (

    select * from {{ ref('rpt_programma_totalen') }}

),

goals_summed as (

    select
        gemeente_code,
        jaar,
        fase,
        programma_code,
        sum(baten) as doelstellingen_baten,
        sum(lasten) as doelstellingen_lasten,
        sum(saldo) as doelstellingen_saldo

    from doelstellingen
    group by all

),

final as (

    select
        programma.gemeente_code,
        programma.jaar,
        programma.fase,
        programma.programma_code,
        programma.programma_key,
        {{ euro('goals_summed.doelstellingen_baten') }} as doelstellingen_baten,
        {{ euro('goals_summed.doelstellingen_lasten') }} as doelstellingen_lasten,
        {{ euro('goals_summed.doelstellingen_saldo') }} as doelstellingen_saldo,
        programma.reservemutaties_baten,
        programma.reservemutaties_lasten,
        programma.inkomsten as programma_inkomsten,
        programma.uitgaven as programma_uitgaven,
        programma.saldo as programma_saldo,
        {{ euro('goals_summed.doelstellingen_baten - programma.reservemutaties_baten - programma.inkomsten') }}
            as onverklaard_baten,
        {{ euro('goals_summed.doelstellingen_lasten - programma.reservemutaties_lasten - programma.uitgaven') }}
            as onverklaard_lasten,
        {{ euro(
            'goals_summed.doelstellingen_saldo'
            ~ ' - (programma.reservemutaties_baten + programma.reservemutaties_lasten) - programma.saldo'
        ) }} as onverklaard_saldo,
        case
            when programma.reservemutaties_baten = 0 and programma.reservemutaties_lasten = 0
                then 'Geen reservemutaties: de doelstellingen tellen op tot de programmakop.'
            else 'De doelstellingentabel bevat reservemutaties die de programmakop niet bevat: baten '
                || {{ x1000('programma.reservemutaties_baten') }} || ', lasten '
                || {{ x1000('programma.reservemutaties_lasten') }} || ' (x € 1.000).'
        end as toelichting

    from programma
    left join goals_summed
        on goals_summed.gemeente_code = programma.gemeente_code
        and goals_summed.jaar = programma.jaar
        and goals_summed.fase = programma.fase
        and goals_summed.programma_code = programma.programma_code

)

select * from final
