with

programmas as (

    select * from {{ ref('programmas') }}

),

final as (

    select
        {{ surrogate_key(['gemeente_code', 'programma_code', 'geldig_van_jaar']) }} as programma_key,
        gemeente_code,
        programma_code,
        programma_naam,
        'Programma ' || programma_code || ' ' || programma_naam as programma_label,
        algemene_doelstelling,
        geldig_van_jaar,
        geldig_tot_jaar

    from programmas

)

select * from final
