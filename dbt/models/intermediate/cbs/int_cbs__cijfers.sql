{#- The current yearly CBS figures per measure, year and region, in the indeling
    of the latest year: a gemeente that merged later has its figures of earlier
    years added up into the gemeente it became (is_herberekend, herberekend_uit).
    Only counts add up; a recomputed figure with one part missing or secret is
    missing ('.'), never a partial sum. A figure CBS itself publishes for the new
    gemeente is taken over a recomputed one. -#}
with

current_figures as (

    select * from {{ ref('int_cbs__waarnemingen') }}
    where is_actueel and periodesoort = 'JJ' and maat_code is not null

),

indeling as (

    select * from {{ ref('int_cbs__gemeente_indeling') }}

),

maten as (

    select * from {{ ref('cbs_maten') }}

),

mapped as (

    select
        current_figures.*,
        maten.eenheid,
        coalesce(indeling.huidige_gemeente_code, current_figures.regio_code) as indeling_regio_code,
        coalesce(indeling.is_opgeheven, false) as is_deel
    from current_figures
    inner join maten using (maat_code)
    left join indeling on indeling.gemeente_code = current_figures.regio_code

),

grouped as (

    select
        maat_code,
        jaar,
        indeling_regio_code as regio_code,
        any_value(eenheid) as eenheid,
        count(*) filter (where not is_deel) as n_eigen,
        any_value(waarde) filter (where not is_deel) as eigen_waarde,
        any_value(markering) filter (where not is_deel) as eigen_markering,
        any_value(cbs_status) filter (where not is_deel) as eigen_status,
        bool_and(waarde is not null) filter (where is_deel) as delen_compleet,
        sum(waarde) filter (where is_deel) as delen_waarde,
        -- The least final status of the parts: voorlopig before onbekend, nader voorlopig, herzien, definitief.
        max(cbs_status) filter (where is_deel) as delen_status,
        string_agg(regio_code, ', ' order by regio_code) filter (where is_deel) as delen
    from mapped
    group by maat_code, jaar, indeling_regio_code

),

final as (

    select
        maat_code,
        jaar,
        regio_code,
        case
            when n_eigen > 0 then eigen_waarde
            when delen_compleet and eenheid = 'aantal' then delen_waarde
        end as waarde,
        case
            when n_eigen > 0 then eigen_markering
            when not (delen_compleet and eenheid = 'aantal') then '.'
        end as markering,
        case when n_eigen > 0 then eigen_status else delen_status end as cbs_status,
        n_eigen = 0 as is_herberekend,
        case when n_eigen = 0 then delen end as herberekend_uit

    from grouped

)

select * from final
