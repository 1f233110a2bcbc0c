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
                      continues_same_trajectory(), first_in_day='is_begin_afgekapt desc') }}

),

provisions as (

    select
        gemeente_code,
        client_key,
        productcategorie,
        {{ merged_pieces() }}

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
