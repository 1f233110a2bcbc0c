{#- Which goal an indicator belongs to, per municipality and year range (it
    changes with the goal tree: e.g. Veilig Thuis moved from 2.3 to 2.1 in 2025). -#}
with

links as (

    select * from {{ ref('indicator_doelstellingen') }}

),

doelstellingen as (

    select * from {{ ref('dim_doelstelling') }}

),

final as (

    select
        links.gemeente_code,
        links.indicator_code,
        doelstellingen.doelstelling_key,
        doelstellingen.doelstelling_code,
        doelstellingen.doelstelling_naam,
        links.geldig_van_jaar,
        links.geldig_tot_jaar

    from links
    left join doelstellingen
        on doelstellingen.gemeente_code = links.gemeente_code
        and doelstellingen.doelstelling_versie = links.doelstelling_versie

)

select * from final
