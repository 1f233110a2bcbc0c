{{ config(materialized='table') }}
{#- Wmo maatwerkvoorzieningen: the current pieces of the delivered lines
    (int_registraties__geldigheid) of one client and productcategorie merged where
    they overlap (and glued where an export boundary cut a line), like jeugdhulp
    trajectories. The client number becomes a keyed pseudonym. -#}
with

pieces as (

    {{ current_pieces(ref('stg_registraties__wmo'), 'wmo') }}

),

islands as (

    {{ number_islands('pieces', ['gemeente_code', 'client_key', 'productcategorie'],
                      continues_same_trajectory()) }}

),

provisions as (

    select
        gemeente_code,
        client_key,
        productcategorie,
        min(begindatum) as begindatum,
        case when bool_or(einddatum is null) then null else max(einddatum) end as einddatum,
        any_value(client_geboortedatum) as geboortedatum,
        arg_max(geslacht_code, (load_id, source_row)) as geslacht_code,
        arg_max(wijk_code, begindatum) filter (where wijk_code is not null) as wijk_code,
        count(*) as aantal_regels,
        max(load_id) as bron_load_id,
        arg_max(file_name, (load_id, source_row)) as bron_bestand,
        arg_max(source_row, (load_id, source_row)) as bron_regel,
        any_value(registratie_einde) as registratie_einde

    from islands
    group by gemeente_code, client_key, productcategorie, eiland_nr

),

final as (

    select
        {{ surrogate_key(['gemeente_code', 'client_key', 'productcategorie', 'begindatum']) }} as voorziening_key,
        *

    from provisions

)

select * from final
