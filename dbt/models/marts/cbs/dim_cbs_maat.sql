{#- The CBS measures the warehouse reads (seeds/reference/cbs_maten.csv) with
    their table (cbs_tabellen.csv). -#}
with

maten as (

    select * from {{ ref('cbs_maten') }}

),

tabellen as (

    select * from {{ ref('cbs_tabellen') }}

),

final as (

    select
        maten.maat_code,
        maten.maat_naam,
        maten.tabel_id,
        tabellen.tabel_titel,
        tabellen.hoofdstuk,
        maten.measure,
        maten.uitsplitsing_code,
        maten.eenheid,
        maten.noemer_maat_code,
        maten.per_aantal,
        maten.afronding_op,
        maten.indicator_code,
        maten.registratie,
        maten.uitkomst,
        maten.taakveld_code,
        maten.soort,
        maten.toelichting

    from maten
    left join tabellen using (tabel_id)

)

select * from final
