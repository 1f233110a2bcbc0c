{#- The survey codebook: one row per survey and question, with its answer scale
    and, for the De Jong Gierveld items, polarity and subscale. -#}
with

questions as (

    select * from {{ ref('enquete_vragen') }}

),

final as (

    select
        {{ surrogate_key(['onderzoek', 'vraag']) }} as vraag_key,
        onderzoek,
        vraag,
        volgorde,
        vraagtekst,
        antwoordschaal,
        djg_polariteit,
        djg_subschaal

    from questions

)

select * from final
