{#- Every CBS region the warehouse knows or received: Nederland and the
    provincies (cbs_regios.csv), every gemeente code CBS used (cbs_gemeenten.csv)
    with the gemeente it belongs to in the latest indeling and, for a gemeente of
    that indeling, its size class and regions; and any other code a download held
    (regiosoort onbekend). -#}
with

regios as (

    select * from {{ ref('cbs_regios') }}

),

indeling as (

    select * from {{ ref('int_cbs__gemeente_indeling') }}

),

groepen as (

    select * from {{ ref('int_cbs__gemeente_groepen') }}

),

eigen as (

    select * from {{ ref('gemeenten') }}

),

observed as (

    select distinct regio_code from {{ ref('stg_cbs__observaties') }}

),

known as (

    select regio_code, regio_naam, regiosoort from regios
    union all
    select gemeente_code, gemeente_naam, 'gemeente' from indeling

),

all_regions as (

    select * from known
    union all
    select regio_code, regio_code || ' (niet in seeds/reference)', 'onbekend'
    from observed
    where regio_code not in (select known.regio_code from known)

),

final as (

    select
        all_regions.regio_code,
        all_regions.regio_naam,
        all_regions.regiosoort,
        indeling.provincie_code,
        coalesce(indeling.is_opgeheven, false) as is_opgeheven,
        indeling.huidige_gemeente_code,
        indeling.herindelingsdatum,
        groepen.indelingsjaar,
        groepen.inwoners as inwoners_indelingsjaar,
        groepen.grootteklasse,
        groepen.grootteklasse_naam,
        groepen.jeugdhulpregio_code,
        groepen.jeugdhulpregio_naam,
        groepen.ggd_regio_code,
        groepen.ggd_regio_naam,
        eigen.gemeente_code is not null as is_eigen_gemeente

    from all_regions
    left join indeling on indeling.gemeente_code = all_regions.regio_code
    left join groepen on groepen.gemeente_code = all_regions.regio_code
    left join eigen on eigen.gemeente_code = all_regions.regio_code

)

select * from final
