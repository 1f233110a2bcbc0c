{{ config(materialized='table') }}
{#- Jeugdhulp trajectories (CBS: a form of care at a provider plus a start date):
    the current pieces of the delivered lines (int_registraties__geldigheid) of one
    youth, provider and productcategorie merged where they overlap, from the first
    start to the last end (and glued where an export boundary cut a line). The
    client number becomes a keyed pseudonym; the youth's date of birth, sex and wijk
    are those of the latest current line. -#}
with

pieces as (

    {{ current_pieces(ref('stg_registraties__jeugdhulp'), 'jeugdhulp') }}

),

categories as (

    select * from {{ ref('jeugdhulp_productcategorieen') }}

),

islands as (

    {{ number_islands('pieces', ['gemeente_code', 'client_key', 'aanbieder_agb', 'productcategorie'],
                      continues_same_trajectory(), first_in_day='is_begin_afgekapt desc') }}

),

trajectories as (

    select
        gemeente_code,
        client_key,
        aanbieder_agb,
        productcategorie,
        {{ merged_pieces() }},
        -- The reason belongs to the line that really ended there, not to a piece an export cut off.
        arg_max(reden_einde, coalesce(einddatum, date '9999-12-31')) filter (
            where einddatum = regel_einddatum
        ) as reden_einde

    from islands
    group by gemeente_code, client_key, aanbieder_agb, productcategorie, eiland_nr

),

final as (

    select
        {{ surrogate_key(['trajectories.gemeente_code', 'trajectories.client_key', 'trajectories.aanbieder_agb',
                          'trajectories.productcategorie', 'trajectories.begindatum']) }} as traject_key,
        trajectories.*,
        categories.telt_als_jeugdhulp

    from trajectories
    inner join categories using (productcategorie)

)

select * from final
