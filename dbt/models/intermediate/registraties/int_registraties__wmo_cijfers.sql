{#- Wmo figures per gemeente and year: unique maatwerk clients in total and per
    kind of provision (a client counts in every kind he had in the year), and for
    the total the Wmo maatwerk lasten of the rekening (the taakvelden of
    WMO_BUDGET_CLIENT in indicator_taakvelden.csv, valid in the year) and the
    budget per client = lasten / clients, in every year with both. Cells resting on
    fewer than min_aantal_publicatie clients are suppressed. -#}
with

clients as (

    select * from {{ ref('int_registraties__wmo_clienten') }}

),

ledger as (

    select * from {{ ref('int_financien__grootboek_current') }}
    where fase = 'rekening' and soort = 'lasten'

),

budget_taakvelden as (

    select * from {{ ref('indicator_taakvelden') }}
    where indicator_code = 'WMO_BUDGET_CLIENT'

),

taakvelden as (

    select * from {{ ref('taakvelden') }}

),

cells as (

    select gemeente_code, jaar, peildatum, 'totaal' as indeling, 'totaal' as groep, client_key
    from clients

    union all

    select gemeente_code, jaar, peildatum, 'soort', soort, client_key
    from clients, unnest(soorten) as kinds (soort)

),

counted as (

    select
        gemeente_code,
        jaar,
        indeling,
        groep,
        max(peildatum) as peildatum,
        count(*) as clienten

    from cells
    group by gemeente_code, jaar, indeling, groep

),

lasten as (

    select
        ledger.gemeente_code,
        ledger.jaar,
        -sum(ledger.bedrag) as lasten_maatwerk

    from ledger
    inner join budget_taakvelden
        on lower(budget_taakvelden.taakveld_code) = ledger.taakveld_code
    inner join taakvelden
        on lower(taakvelden.taakveld_code) = ledger.taakveld_code
        and valid_in_year(ledger.jaar, taakvelden.geldig_van_jaar, taakvelden.geldig_tot_jaar)
    group by ledger.gemeente_code, ledger.jaar

),

final as (

    select
        counted.gemeente_code,
        counted.jaar,
        counted.indeling,
        counted.groep,
        {{ is_onderdrukt('counted.clienten') }} as is_onderdrukt,
        case when not is_onderdrukt then counted.clienten end as clienten,
        case when counted.indeling = 'totaal' then {{ euro('lasten.lasten_maatwerk') }} end as lasten_maatwerk,
        case
            when counted.indeling = 'totaal' and not is_onderdrukt
                then {{ euro(round_half_away('lasten.lasten_maatwerk / counted.clienten', 2)) }}
        end as budget_per_client,
        counted.peildatum

    from counted
    left join lasten
        on lasten.gemeente_code = counted.gemeente_code
        and lasten.jaar = counted.jaar

)

select * from final
