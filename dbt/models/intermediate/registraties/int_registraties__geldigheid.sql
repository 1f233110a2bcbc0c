{#- Supersession of registration exports, day by day: for each export, the date
    ranges in which its lines count. The days of a gemeente are cut at every
    period boundary of its exports; a day covered by exports belongs to the latest
    loaded export that covers it. Days that no export covers (before the first
    period, or between two periods) count for every export, so a trajectory keeps
    its real start date; the days after the last period count for the export that
    holds the last covered day, so its running lines stay open. -#}
with

exports as (

    select * from {{ ref('int_registraties__leveringen') }}

),

boundaries as (

    select registratie, gemeente_code, periode_begin as grens from exports
    union
    select registratie, gemeente_code, periode_einde + 1 from exports

),

intervals as (

    -- Between consecutive boundaries; the last one is open-ended.
    select
        registratie,
        gemeente_code,
        grens as van,
        lead(grens) over (partition by registratie, gemeente_code order by grens) - 1 as tot
    from boundaries

    union all

    -- The days before the first period.
    select registratie, gemeente_code, date '0001-01-01', min(grens) - 1
    from boundaries
    group by registratie, gemeente_code

),

owners as (

    select
        intervals.registratie,
        intervals.gemeente_code,
        intervals.van,
        intervals.tot,
        max(exports.load_id) as eigenaar_load_id

    from intervals
    left join exports
        on exports.registratie = intervals.registratie
        and exports.gemeente_code = intervals.gemeente_code
        and exports.periode_begin <= intervals.van
        and exports.periode_einde >= intervals.tot
    group by all

),

last_owners as (

    select
        registratie,
        gemeente_code,
        arg_max(eigenaar_load_id, van) filter (where eigenaar_load_id is not null) as laatste_load_id

    from owners
    group by registratie, gemeente_code

),

allowed as (

    select
        exports.registratie,
        exports.gemeente_code,
        exports.load_id,
        owners.van as begindatum,
        owners.tot as einddatum

    from exports
    inner join owners using (registratie, gemeente_code)
    inner join last_owners using (registratie, gemeente_code)
    where owners.eigenaar_load_id = exports.load_id
        or (owners.eigenaar_load_id is null and owners.tot is not null)
        or (owners.tot is null and last_owners.laatste_load_id = exports.load_id)

),

islands as (

    {{ number_islands('allowed', ['registratie', 'gemeente_code', 'load_id'], 'begindatum <= vorige_einde + 1') }}

),

final as (

    select
        registratie,
        gemeente_code,
        load_id,
        nullif(min(begindatum), date '0001-01-01') as geldig_van,
        case when bool_or(einddatum is null) then null else max(einddatum) end as geldig_tot

    from islands
    group by registratie, gemeente_code, load_id, eiland_nr

)

select * from final
