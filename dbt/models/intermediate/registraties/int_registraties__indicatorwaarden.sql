{#- The registration figures that are indicator realisaties: the jeugdhulp totals
    and the Wmo budget per client, rounded half away from zero (in decimal
    arithmetic, macro round_half_away) to the decimals the documents publish
    (registratie_uitkomsten.csv; a share keeps its exact value next to teller and
    noemer). A suppressed total is not an indicator value. -#}
with

jeugdhulp as (

    select * from {{ ref('int_registraties__jeugdhulp_cijfers') }}
    where indeling = 'totaal' and not is_onderdrukt and indicator_code is not null

),

wmo as (

    select * from {{ ref('int_registraties__wmo_cijfers') }}
    where indeling = 'totaal' and budget_per_client is not null

),

outcomes as (

    select * from {{ ref('registratie_uitkomsten') }}

),

figures as (

    select
        gemeente_code, jaar, 'jeugdhulp' as registratie, uitkomst, waarde, teller, noemer, peildatum,
        'Registratie jeugdhulp ' || jaar || ' (' || uitkomst || ')' as bron_document
    from jeugdhulp

    union all

    select
        gemeente_code, jaar, 'wmo', 'budget_per_client', budget_per_client, null, null, peildatum,
        'Registratie Wmo ' || jaar || ' en rekening ' || jaar || ' (lasten maatwerk / cliënten)'
    from wmo

),

final as (

    select
        figures.gemeente_code,
        outcomes.indicator_code,
        figures.jaar,
        cast(
            case
                when outcomes.decimalen is null then figures.waarde
                else {{ round_half_away('figures.waarde', 'outcomes.decimalen') }}
            end as decimal(18, 4)
        ) as waarde,
        figures.teller,
        figures.noemer,
        figures.peildatum,
        figures.bron_document

    from figures
    inner join outcomes using (registratie, uitkomst)
    where outcomes.indicator_code is not null

)

select * from final
