{#- The Iv3 renumbering: which taakveld before the change year continues in
    which taakveld from that year on. To compare years, group by the old code. -#}
with

crosswalk as (

    select * from {{ ref('taakveld_crosswalk') }}

),

taakvelden as (

    select * from {{ ref('dim_taakveld') }}

),

final as (

    select
        crosswalk.wijzigingsjaar,
        oud.taakveld_key as oud_taakveld_key,
        nieuw.taakveld_key as nieuw_taakveld_key,
        oud.taakveld_label as oud_taakveld_label,
        nieuw.taakveld_label as nieuw_taakveld_label,
        crosswalk.relatie

    from crosswalk
    left join taakvelden as oud
        on oud.taakveld_code = lower(crosswalk.oud_taakveld_code)
        and valid_in_year(crosswalk.wijzigingsjaar - 1, oud.geldig_van_jaar, oud.geldig_tot_jaar)
    left join taakvelden as nieuw
        on nieuw.taakveld_code = lower(crosswalk.nieuw_taakveld_code)
        and valid_in_year(crosswalk.wijzigingsjaar, nieuw.geldig_van_jaar, nieuw.geldig_tot_jaar)

)

select * from final
