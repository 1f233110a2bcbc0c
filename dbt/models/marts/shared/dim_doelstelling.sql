with

doelstellingen as (

    select * from {{ ref('doelstellingen') }}

),

programmas as (

    select * from {{ ref('dim_programma') }}

),

final as (

    select
        {{ surrogate_key(['doelstellingen.gemeente_code', 'doelstellingen.doelstelling_versie']) }} as doelstelling_key,
        doelstellingen.gemeente_code,
        programmas.programma_key,
        doelstellingen.programma_code,
        doelstellingen.doelstelling_versie,
        doelstellingen.doelstelling_code,
        doelstellingen.doelstelling_naam,
        doelstellingen.doelstelling_code || ' ' || doelstellingen.doelstelling_naam as doelstelling_label,
        doelstellingen.geldig_van_jaar,
        doelstellingen.geldig_tot_jaar

    from doelstellingen
    left join programmas
        on programmas.gemeente_code = doelstellingen.gemeente_code
        and programmas.programma_code = doelstellingen.programma_code
        and valid_in_year(doelstellingen.geldig_van_jaar, programmas.geldig_van_jaar, programmas.geldig_tot_jaar)

)

select * from final
