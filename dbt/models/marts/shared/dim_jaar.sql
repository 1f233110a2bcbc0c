{#- Every year from var('eerste_jaar') to var('jaren_vooruit') years ahead of
    today, so that multi-year budgets (meerjarenraming) always have their years,
    and on to the last year that an accepted delivery holds: the calendar follows
    the data, so an accepted file never fails a key to it (the loader quarantines
    a year beyond its own horizon, docs/sources.md "Scope of a delivery"). The
    staging models it reads have no checks: none holds the calendar back. -#}
with

delivered_years as (

    -- The last year of each source's accepted deliveries.
    {%- set delivered = [
        ('stg_financien__grootboek', 'jaar'),
        ('stg_financien__gemeentetotalen', 'jaar'),
        ('stg_indicatoren__waarden', 'jaar'),
        ('stg_enquetes__tevredenheid', 'jaar'),
        ('stg_enquetes__ceo', 'jaar'),
        ('stg_enquetes__omnibus', 'jaar'),
        ('stg_registraties__jeugdhulp', 'year(periode_einde)'),
        ('stg_registraties__wmo', 'year(periode_einde)'),
    ] %}
    {%- for model, year in delivered %}
        select max({{ year }}) as jaar from {{ ref(model) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

last_year as (

    select greatest(
        year(current_date) + {{ var('jaren_vooruit') }},
        (select max(jaar) from delivered_years)
    ) as jaar

),

years as (

    select unnest(range({{ var('eerste_jaar') }}, (select jaar from last_year) + 1)) as jaar

),

final as (

    select
        cast(jaar as integer) as jaar,
        cast(jaar as varchar) as jaar_label,
        jaar < year(current_date) as is_verstreken,
        jaar = year(current_date) as is_lopend_jaar

    from years

)

select * from final
