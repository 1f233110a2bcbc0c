with

taakvelden as (

    select * from {{ ref('taakvelden') }}

),

final as (

    select
        {{ surrogate_key(['lower(taakveld_code)', 'geldig_van_jaar']) }} as taakveld_key,
        lower(taakveld_code) as taakveld_code,
        taakveld_naam,
        lower(taakveld_code) || ' ' || taakveld_naam as taakveld_label,
        split_part(taakveld_code, '.', 1) as hoofdtaakveld,
        geldig_van_jaar,
        geldig_tot_jaar

    from taakvelden

)

select * from final
