{#- Every gemeente of the latest indeling next to Nederland, its provincie, its
    size class and its jeugdhulpregio, per CBS measure and year. A count with a
    denominator (cbs_maten.csv: noemer_maat_code, per_aantal) is compared per 1.000
    of it (kengetal); a figure that is already per inhabitant (no per_aantal) is its
    own kengetal. A group's kengetal is weighted by the denominator: its total count
    per 1.000 of its total denominator, or its total euros per its total
    inhabitants, over the gemeenten that have both. Rank 1 is the highest kengetal
    of the group. The groups are those of the latest year for every year
    (int_cbs__gemeente_groepen); a gemeente that merged later has its earlier
    figures recomputed (is_herberekend). Grain: gemeente, maat, jaar. -#}
with

cijfers as (

    select * from {{ ref('int_cbs__cijfers') }}

),

maten as (

    select * from {{ ref('cbs_maten') }}

),

groepen as (

    select * from {{ ref('int_cbs__gemeente_groepen') }}

),

land as (

    select regio_code from {{ ref('cbs_regios') }}
    where regiosoort = 'land'

),

eigen as (

    select * from {{ ref('gemeenten') }}

),

kengetallen as (

    select
        cijfers.*,
        noemers.waarde as noemer,
        maten.eenheid,
        maten.noemer_maat_code,
        maten.per_aantal,
        case
            when maten.noemer_maat_code is null or maten.per_aantal is null then cijfers.waarde
            when noemers.waarde > 0 then cijfers.waarde * maten.per_aantal / noemers.waarde
        end as kengetal,
        -- The kengetal times the denominator: what a group adds up before it divides by its denominator.
        case
            when maten.per_aantal is null then cijfers.waarde * noemers.waarde
            else cijfers.waarde * maten.per_aantal
        end as gewogen
    from cijfers
    inner join maten using (maat_code)
    left join cijfers as noemers
        on noemers.maat_code = maten.noemer_maat_code
        and noemers.jaar = cijfers.jaar
        and noemers.regio_code = cijfers.regio_code

),

per_gemeente as (

    select
        kengetallen.*,
        groepen.gemeente_naam,
        groepen.provincie_code,
        groepen.indelingsjaar,
        groepen.grootteklasse,
        groepen.grootteklasse_naam,
        groepen.jeugdhulpregio_code,
        groepen.jeugdhulpregio_naam,
        -- A group's total counts only gemeenten with both the count and the denominator.
        case when kengetallen.kengetal is not null then kengetallen.gewogen end as telt_gewogen,
        case when kengetallen.kengetal is not null then kengetallen.noemer end as telt_noemer
    from kengetallen
    inner join groepen on groepen.gemeente_code = kengetallen.regio_code

),

compared as (

    select
        *,
        sum(telt_gewogen) over klasse as klasse_gewogen,
        sum(telt_noemer) over klasse as klasse_noemer,
        case when grootteklasse is not null then count(kengetal) over klasse end as klasse_n,
        case when kengetal is not null and grootteklasse is not null
                then rank() over (klasse order by kengetal desc nulls last)
        end as klasse_rang,
        sum(telt_gewogen) over regio as regio_gewogen,
        sum(telt_noemer) over regio as regio_noemer,
        case when jeugdhulpregio_code is not null then count(kengetal) over regio end as regio_n,
        case when kengetal is not null and jeugdhulpregio_code is not null
                then rank() over (regio order by kengetal desc nulls last)
        end as regio_rang
    from per_gemeente
    window
        klasse as (partition by maat_code, jaar, grootteklasse),
        regio as (partition by maat_code, jaar, jeugdhulpregio_code)

),

final as (

    select
        compared.regio_code as gemeente_code,
        compared.gemeente_naam,
        eigen.gemeente_code is not null as is_eigen_gemeente,
        compared.maat_code,
        compared.eenheid,
        compared.jaar,
        cast(compared.waarde as decimal(18, 4)) as waarde,
        cast(compared.noemer as decimal(18, 4)) as noemer,
        cast({{ round_half_away('compared.kengetal', 1) }} as decimal(18, 1)) as kengetal,
        compared.markering,
        compared.cbs_status,
        compared.is_herberekend,
        compared.herberekend_uit,
        cast({{ round_half_away('nederland.kengetal', 1) }} as decimal(18, 1)) as nederland_kengetal,
        nederland.cbs_status as nederland_status,
        cast({{ round_half_away('compared.kengetal - nederland.kengetal', 1) }} as decimal(18, 1))
            as verschil_met_nederland,
        compared.provincie_code,
        cast({{ round_half_away('provincie.kengetal', 1) }} as decimal(18, 1)) as provincie_kengetal,
        compared.indelingsjaar,
        compared.grootteklasse,
        compared.grootteklasse_naam,
        cast(
            {{ round_half_away(
            'case when compared.noemer_maat_code is not null and compared.klasse_noemer > 0'
            ' and compared.grootteklasse is not null'
            ' then compared.klasse_gewogen / compared.klasse_noemer end', 1) }}
            as decimal(18, 1)
        ) as grootteklasse_kengetal,
        compared.klasse_n as grootteklasse_n_gemeenten,
        compared.klasse_rang as grootteklasse_rang,
        compared.jeugdhulpregio_code,
        compared.jeugdhulpregio_naam,
        cast(
            {{ round_half_away(
            'case when compared.noemer_maat_code is not null and compared.regio_noemer > 0'
            ' and compared.jeugdhulpregio_code is not null'
            ' then compared.regio_gewogen / compared.regio_noemer end', 1) }}
            as decimal(18, 1)
        ) as jeugdhulpregio_kengetal,
        compared.regio_n as jeugdhulpregio_n_gemeenten,
        compared.regio_rang as jeugdhulpregio_rang

    from compared
    left join kengetallen as nederland
        on nederland.maat_code = compared.maat_code
        and nederland.jaar = compared.jaar
        and nederland.regio_code in (select land.regio_code from land)
    left join kengetallen as provincie
        on provincie.maat_code = compared.maat_code
        and provincie.jaar = compared.jaar
        and provincie.regio_code = compared.provincie_code
    left join eigen on eigen.gemeente_code = compared.regio_code

)

select * from final
