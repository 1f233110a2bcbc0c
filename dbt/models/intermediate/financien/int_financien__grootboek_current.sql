{#- The ledger lines of the current delivery of each partition, with the
    goal and taakveld versions valid in the line's year resolved. -#}
with

lines as (

    select * from {{ ref('stg_financien__grootboek') }}

),

current_deliveries as (

    select gemeente_code, jaar, fase, load_id
    from {{ ref('int_financien__grootboek_deliveries') }}
    where is_current

),

doelstellingen as (

    select * from {{ ref('doelstellingen') }}

),

taakvelden as (

    select * from {{ ref('taakvelden') }}

),

current_lines as (

    select lines.*
    from lines
    inner join current_deliveries using (gemeente_code, jaar, fase, load_id)

),

final as (

    select
        current_lines.*,
        doelstellingen.doelstelling_versie,
        taakvelden.geldig_van_jaar as taakveld_geldig_van_jaar

    from current_lines
    left join doelstellingen
        on doelstellingen.gemeente_code = current_lines.gemeente_code
        and doelstellingen.programma_code = current_lines.programma_code
        and doelstellingen.doelstelling_code = current_lines.doelstelling_code
        and name_key(doelstellingen.doelstelling_naam) = name_key(current_lines.doelstelling_naam)
        and valid_in_year(current_lines.jaar, doelstellingen.geldig_van_jaar, doelstellingen.geldig_tot_jaar)
    left join taakvelden
        on lower(taakvelden.taakveld_code) = current_lines.taakveld_code
        and valid_in_year(current_lines.jaar, taakvelden.geldig_van_jaar, taakvelden.geldig_tot_jaar)

)

select * from final
