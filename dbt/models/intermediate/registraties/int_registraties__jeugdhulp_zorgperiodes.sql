{{ config(materialized='table') }}
{#- Care periods (zorgperiodes): the trajectories of a youth that count as
    jeugdhulp, merged across providers and forms of care where they overlap or
    where one starts at most jeugdhulp_max_dagen_tot_vervolgtraject days (1: the
    next day) after the care before it ended. Gaps and islands, set-based. -#}
with

trajectories as (

    select * from {{ ref('int_registraties__jeugdhulp_trajecten') }}
    where telt_als_jeugdhulp

),

islands as (

    {{ number_islands('trajectories', ['gemeente_code', 'client_key'],
                      'begindatum <= vorige_einde + ' ~ var('jeugdhulp_max_dagen_tot_vervolgtraject')) }}

),

periods as (

    select
        gemeente_code,
        client_key,
        min(begindatum) as begindatum,
        case when bool_or(einddatum is null) then null else max(einddatum) end as einddatum,
        any_value(geboortedatum) as geboortedatum,
        any_value(is_alleen_geboortemaand) as is_alleen_geboortemaand,
        arg_max(geslacht_code, begindatum) as geslacht_code,
        arg_max(wijk_code, begindatum) filter (where wijk_code is not null) as wijk_code,
        count(*) as aantal_trajecten,
        len({{ sorted_distinct_list('aanbieder_agb') }}) as aantal_aanbieders,
        {{ sorted_distinct_list('productcategorie') }} as productcategorieen,
        any_value(registratie_einde) as registratie_einde

    from islands
    group by gemeente_code, client_key, eiland_nr

),

final as (

    select
        {{ surrogate_key(['gemeente_code', 'client_key', 'begindatum']) }} as zorgperiode_key,
        *

    from periods

)

select * from final
