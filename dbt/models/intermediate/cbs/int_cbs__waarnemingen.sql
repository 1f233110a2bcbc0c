{#- Every CBS figure of every download with its status: the status of its period
    in the same download (definitief, voorlopig, nader voorlopig), herzien when a
    definitive figure differs from the definitive figure of an earlier download.
    Per table, measure, region and period the latest download that holds the
    figure is current (is_actueel); the earlier ones stay as history. -#}
with

observaties as (

    select * from {{ ref('stg_cbs__observaties') }}

),

perioden as (

    select * from {{ ref('stg_cbs__perioden') }}

),

maten as (

    select * from {{ ref('cbs_maten') }}

),

with_status as (

    -- A period listed twice for one download (a corrected file) takes its latest load.
    select
        observaties.*,
        maten.maat_code,
        coalesce(perioden.cbs_status, 'onbekend') as periode_status
    from observaties
    left join perioden
        on perioden.tabel_id = observaties.tabel_id
        and perioden.downloaddatum = observaties.downloaddatum
        and perioden.periode_code = observaties.periode_code
    left join maten
        on maten.tabel_id = observaties.tabel_id
        and maten.measure = observaties.measure
        and coalesce(maten.uitsplitsing_code, '') = coalesce(observaties.uitsplitsing_code, '')
    qualify row_number() over (
            partition by observaties.load_id, observaties.source_row order by perioden.load_id desc nulls last
        ) = 1

),

history as (

    select
        *,
        row_number() over (
            partition by tabel_id, measure, uitsplitsing_code, regio_code, periode_code
            order by downloaddatum desc, load_id desc, source_row desc
        ) = 1 as is_actueel,
        lag(waarde) over figure as vorige_waarde,
        lag(waardeattribuut) over figure as vorig_waardeattribuut,
        lag(periode_status) over figure as vorige_status
    from with_status
    window figure as (
        partition by tabel_id, measure, uitsplitsing_code, regio_code, periode_code
        order by downloaddatum, load_id, source_row
    )

),

final as (

    select
        load_id,
        file_name,
        source_row,
        tabel_id,
        downloaddatum,
        measure,
        uitsplitsing_code,
        maat_code,
        regio_code,
        periode_code,
        jaar,
        periodesoort,
        waarde,
        waardeattribuut,
        case
            when waardeattribuut in ('missing', 'confidential') then '.'
            when waardeattribuut = 'impossible' then 'x'
        end as markering,
        case
            when periode_status = 'definitief' and vorige_status in ('definitief', 'herzien')
                and (vorige_waarde is distinct from waarde or vorig_waardeattribuut is distinct from waardeattribuut)
                then 'herzien'
            else periode_status
        end as cbs_status,
        vorige_waarde,
        vorige_status,
        is_actueel

    from history

)

select * from final
