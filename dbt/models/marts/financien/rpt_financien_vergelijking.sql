{#- Begroting against rekening per doelstelling: baten, lasten and saldo of the
    three phases of a year side by side, and the difference rekening - begroting
    na wijziging (positive is favourable: more baten or fewer lasten). Grain:
    one row per gemeente, jaar, goal version and grootheid (baten, lasten, saldo). -#}
with

per_doelstelling as (

    select * from {{ ref('rpt_financien_doelstelling') }}

),

grootheden as (

    unpivot (
        select
            gemeente_code, jaar, fase, programma_code, doelstelling_key, doelstelling_code,
            doelstelling_naam, baten, lasten, saldo
        from per_doelstelling
    )
    on baten, lasten, saldo
    into name grootheid value bedrag

),

per_fase as (

    select
        gemeente_code,
        jaar,
        programma_code,
        doelstelling_key,
        doelstelling_code,
        doelstelling_naam,
        grootheid,
        sum(bedrag) filter (where fase = 'begroting primitief') as begroting_primitief,
        sum(bedrag) filter (where fase = 'begroting na wijziging') as begroting_na_wijziging,
        sum(bedrag) filter (where fase = 'rekening') as rekening

    from grootheden
    group by all

),

final as (

    select
        gemeente_code,
        jaar,
        programma_code,
        doelstelling_key,
        doelstelling_code,
        doelstelling_naam,
        grootheid,
        {{ euro('begroting_primitief') }} as begroting_primitief,
        {{ euro('begroting_na_wijziging') }} as begroting_na_wijziging,
        {{ euro('rekening') }} as rekening,
        {{ euro('rekening - begroting_na_wijziging') }} as verschil,
        {{ x1000('begroting_primitief') }} as begroting_primitief_x1000,
        {{ x1000('begroting_na_wijziging') }} as begroting_na_wijziging_x1000,
        {{ x1000('rekening') }} as rekening_x1000,
        {{ x1000('rekening - begroting_na_wijziging') }} as verschil_x1000

    from per_fase

)

select * from final
