{#- The warehouse's own figure for every CBS measure it has a counterpart of
    (cbs_maten.csv), per gemeente of the warehouse and year: a registration
    outcome (registratie, uitkomst: youths with jeugdhulp, Wmo clients) counted
    from the registration, or the lasten or baten of a taakveld (taakveld_code,
    soort) in the ledger's rekening per inhabitant, divided by CBS's inhabitants
    of the gemeente and year like CBS does. A suppressed total is no figure. -#}
with

maten as (

    select * from {{ ref('cbs_maten') }}

),

jeugdhulp as (

    select * from {{ ref('int_registraties__jeugdhulp_cijfers') }}
    where indeling = 'totaal' and not is_onderdrukt

),

wmo as (

    select * from {{ ref('int_registraties__wmo_cijfers') }}
    where indeling = 'totaal' and not is_onderdrukt

),

ledger as (

    select * from {{ ref('int_financien__grootboek_current') }}
    where fase = 'rekening' and not is_reservemutatie

),

inwoners as (

    select regio_code as gemeente_code, jaar, waarde
    from {{ ref('int_cbs__cijfers') }}
    where maat_code = 'inwoners'

),

registrations as (

    select
        gemeente_code, jaar, 'jeugdhulp' as registratie, uitkomst, waarde,
        'Registratie jeugdhulp ' || jaar || ' (' || uitkomst || ')' as bron
    from jeugdhulp

    union all

    select gemeente_code, jaar, 'wmo', 'clienten', clienten, 'Registratie Wmo ' || jaar || ' (clienten)'
    from wmo

),

registration_figures as (

    select registrations.gemeente_code, maten.maat_code, registrations.jaar, registrations.waarde, registrations.bron
    from registrations
    inner join maten using (registratie, uitkomst)

),

taakveld_totals as (

    -- Lasten are negative amounts in the ledger, baten positive.
    select
        ledger.gemeente_code,
        maten.maat_code,
        ledger.jaar,
        sum(case when maten.soort = 'lasten' then -ledger.bedrag else ledger.bedrag end) as bedrag
    from ledger
    inner join maten
        on lower(maten.taakveld_code) = ledger.taakveld_code
        and maten.soort = ledger.soort
    group by ledger.gemeente_code, maten.maat_code, ledger.jaar

),

taakveld_figures as (

    select
        taakveld_totals.gemeente_code,
        taakveld_totals.maat_code,
        taakveld_totals.jaar,
        taakveld_totals.bedrag / inwoners.waarde as waarde,
        'Rekening ' || taakveld_totals.jaar || ' (grootboek) / inwoners CBS' as bron
    from taakveld_totals
    inner join inwoners
        on inwoners.gemeente_code = taakveld_totals.gemeente_code
        and inwoners.jaar = taakveld_totals.jaar
    where inwoners.waarde > 0

),

final as (

    select gemeente_code, maat_code, jaar, cast(waarde as decimal(18, 4)) as waarde, bron
    from registration_figures

    union all

    select gemeente_code, maat_code, jaar, cast(waarde as decimal(18, 4)) as waarde, bron
    from taakveld_figures

)

select * from final
