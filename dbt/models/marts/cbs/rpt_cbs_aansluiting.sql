{#- The reconciliation of the warehouse's own figures with CBS's published ones
    for the same gemeente, year and definition (int_cbs__eigen_cijfers): the
    youths with jeugdhulp and the Wmo clients counted from the registrations, the
    lasten and baten per inhabitant of a taakveld from the ledger, each next to
    CBS's figure: the difference and why. A difference within half of CBS's
    rounding (cbs_maten.csv: afronding_op) is rounding. Grain: gemeente, maat, jaar. -#}
with

eigen as (

    select * from {{ ref('int_cbs__eigen_cijfers') }}

),

maten as (

    select * from {{ ref('cbs_maten') }}
    where indicator_code is not null or registratie is not null or taakveld_code is not null

),

cijfers as (

    select * from {{ ref('int_cbs__cijfers') }}

),

gemeenten as (

    select * from {{ ref('gemeenten') }}

),

own_figures as (

    select eigen.gemeente_code, maten.maat_code, maten.indicator_code, eigen.jaar, eigen.waarde, eigen.bron
    from eigen
    inner join maten using (maat_code)

),

cbs_figures as (

    select
        cijfers.regio_code as gemeente_code, cijfers.maat_code, maten.indicator_code, cijfers.jaar,
        cijfers.waarde, cijfers.markering, cijfers.cbs_status, cijfers.is_herberekend
    from cijfers
    inner join maten using (maat_code)
    where cijfers.regio_code in (select gemeenten.gemeente_code from gemeenten)

),

joined as (

    select
        coalesce(own_figures.gemeente_code, cbs_figures.gemeente_code) as gemeente_code,
        coalesce(own_figures.maat_code, cbs_figures.maat_code) as maat_code,
        coalesce(own_figures.indicator_code, cbs_figures.indicator_code) as indicator_code,
        coalesce(own_figures.jaar, cbs_figures.jaar) as jaar,
        own_figures.waarde as eigen_waarde,
        own_figures.bron as eigen_bron,
        cbs_figures.waarde as cbs_waarde,
        cbs_figures.markering as cbs_markering,
        cbs_figures.cbs_status,
        cbs_figures.gemeente_code is not null as heeft_cbs_cijfer,
        own_figures.gemeente_code is not null as heeft_eigen_cijfer
    from own_figures
    full outer join cbs_figures
        on cbs_figures.gemeente_code = own_figures.gemeente_code
        and cbs_figures.maat_code = own_figures.maat_code
        and cbs_figures.jaar = own_figures.jaar

),

explained as (

    select
        joined.*,
        maten.taakveld_code,
        maten.eenheid,
        maten.afronding_op,
        maten.toelichting
    from joined
    inner join maten on maten.maat_code = joined.maat_code

),

final as (

    select
        gemeente_code,
        maat_code,
        indicator_code,
        taakveld_code,
        eenheid,
        jaar,
        cast(eigen_waarde as decimal(18, 4)) as eigen_waarde,
        eigen_bron,
        cast(cbs_waarde as decimal(18, 4)) as cbs_waarde,
        cbs_markering,
        cbs_status,
        cast(eigen_waarde - cbs_waarde as decimal(18, 4)) as verschil,
        cast(
            {{ round_half_away('100 * (eigen_waarde - cbs_waarde) / nullif(cbs_waarde, 0)', 1) }}
            as decimal(18, 1)
        ) as verschil_procent,
        case
            when not heeft_cbs_cijfer then 'CBS heeft (nog) geen cijfer voor dit jaar'
            when
                cbs_markering is not null
                then 'CBS publiceert geen cijfer (' || cbs_markering || ': geheim of ontbrekend)'
            when not heeft_eigen_cijfer then 'geen eigen cijfer uit de registratie'
            when abs(eigen_waarde - cbs_waarde) <= afronding_op / 2
                then 'gelijk binnen de afronding van CBS op ' || afronding_op || '-tallen'
            else 'verschil in definitie of registratie: ' || coalesce(toelichting, 'niet toegelicht')
        end
        || case when cbs_status in ('voorlopig', 'nader voorlopig') then ' (het CBS-cijfer is ' || cbs_status || ')'
            else ''
        end as verklaring

    from explained

)

select * from final
