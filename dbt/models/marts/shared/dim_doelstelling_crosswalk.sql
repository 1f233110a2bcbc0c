with

crosswalk as (

    select * from {{ ref('doelstelling_crosswalk') }}

),

doelstellingen as (

    select * from {{ ref('dim_doelstelling') }}

),

final as (

    select
        van.doelstelling_key as van_doelstelling_key,
        naar.doelstelling_key as naar_doelstelling_key,
        crosswalk.gemeente_code,
        van.doelstelling_label as van_doelstelling_label,
        naar.doelstelling_label as naar_doelstelling_label,
        crosswalk.relatie,
        crosswalk.toelichting

    from crosswalk
    left join doelstellingen as van
        on van.gemeente_code = crosswalk.gemeente_code
        and van.doelstelling_versie = crosswalk.van_doelstelling_versie
    left join doelstellingen as naar
        on naar.gemeente_code = crosswalk.gemeente_code
        and naar.doelstelling_versie = crosswalk.naar_doelstelling_versie

)

select * from final
