{#- Every gemeente code CBS used (seeds/reference/cbs_gemeenten.csv) with the
    gemeente it belongs to in the latest indeling: itself, or the gemeente it
    merged into (seeds/reference/herindelingen.csv, followed through successive
    herindelingen). -#}
with recursive

gemeenten as (

    select * from {{ ref('cbs_gemeenten') }}

),

herindelingen as (

    select * from {{ ref('herindelingen') }}

),

successors as (

    select
        gemeente_code,
        gemeente_code as huidige_gemeente_code,
        cast(null as date) as herindelingsdatum,
        0 as stappen
    from gemeenten

    union all

    select
        successors.gemeente_code, herindelingen.nieuwe_gemeente_code,
        herindelingen.ingangsdatum, successors.stappen + 1
    from successors
    inner join herindelingen on herindelingen.oude_gemeente_code = successors.huidige_gemeente_code
    where successors.stappen < 20

),

final as (

    select
        successors.gemeente_code,
        gemeenten.gemeente_naam,
        gemeenten.provincie_code,
        successors.huidige_gemeente_code,
        successors.herindelingsdatum,
        successors.gemeente_code <> successors.huidige_gemeente_code as is_opgeheven
    from successors
    inner join gemeenten using (gemeente_code)
    qualify row_number() over (partition by successors.gemeente_code order by successors.stappen desc) = 1

)

select * from final
