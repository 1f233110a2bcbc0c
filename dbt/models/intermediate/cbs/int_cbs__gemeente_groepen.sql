{#- The gemeenten of the latest indeling with the groups they are compared with:
    the size class by inhabitants (dbt var grootteklasse_maat) in the latest year
    with that figure (indelingsjaar), and the regions they belong to in that year
    (seeds/reference/regio_indeling.csv). Comparisons over time use these groups
    for every year. -#}
with

gemeenten as (

    select * from {{ ref('int_cbs__gemeente_indeling') }}
    where not is_opgeheven

),

inhabitants as (

    select * from {{ ref('int_cbs__cijfers') }}
    where maat_code = '{{ var("grootteklasse_maat") }}' and waarde is not null

),

indelingsjaar as (

    select max(jaar) as indelingsjaar from inhabitants

),

klassen as (

    select * from {{ ref('grootteklassen') }}

),

lidmaatschap as (

    select
        regio_indeling.gemeente_code,
        max(regio_indeling.regio_code) filter (where regio_indeling.regiosoort = 'jeugdhulpregio')
            as jeugdhulpregio_code,
        max(regio_indeling.regio_naam) filter (where regio_indeling.regiosoort = 'jeugdhulpregio')
            as jeugdhulpregio_naam,
        max(regio_indeling.regio_code) filter (where regio_indeling.regiosoort = 'ggd_regio') as ggd_regio_code,
        max(regio_indeling.regio_naam) filter (where regio_indeling.regiosoort = 'ggd_regio') as ggd_regio_naam
    from {{ ref('regio_indeling') }} as regio_indeling
    cross join indelingsjaar
    where valid_in_year(indelingsjaar.indelingsjaar, regio_indeling.geldig_van_jaar, regio_indeling.geldig_tot_jaar)
    group by regio_indeling.gemeente_code

),

final as (

    select
        gemeenten.huidige_gemeente_code as gemeente_code,
        gemeenten.gemeente_naam,
        gemeenten.provincie_code,
        indelingsjaar.indelingsjaar,
        inhabitants.waarde as inwoners,
        klassen.grootteklasse,
        klassen.grootteklasse_naam,
        lidmaatschap.jeugdhulpregio_code,
        lidmaatschap.jeugdhulpregio_naam,
        lidmaatschap.ggd_regio_code,
        lidmaatschap.ggd_regio_naam

    from gemeenten
    cross join indelingsjaar
    left join inhabitants
        on inhabitants.regio_code = gemeenten.huidige_gemeente_code
        and inhabitants.jaar = indelingsjaar.indelingsjaar
    left join klassen
        on klassen.vanaf_inwoners <= inhabitants.waarde
        and (klassen.tot_inwoners is null or klassen.tot_inwoners > inhabitants.waarde)
    left join lidmaatschap on lidmaatschap.gemeente_code = gemeenten.huidige_gemeente_code

)

select * from final
