{#- Wmo maatwerk per gemeente and year: unique clients in total and per kind of
    provision, and for the total the maatwerk lasten of the rekening and the budget
    per client (WMO_BUDGET_CLIENT). Grain: one row per gemeente, jaar and cell. A
    suppressed cell (fewer than 10 clients) has no figures. -#}
with

figures as (

    select * from {{ ref('int_registraties__wmo_cijfers') }}

),

final as (

    select
        gemeente_code,
        jaar,
        indeling,
        groep,
        case when indeling = 'totaal' then 'Totaal' else groep end as groep_naam,
        clienten,
        case
            when is_onderdrukt then {{ onderdrukt_weergave('cliënten') }}
            else {{ nl_aantal('clienten') }}
        end as weergave,
        is_onderdrukt,
        lasten_maatwerk,
        budget_per_client,
        peildatum

    from figures

)

select * from final
