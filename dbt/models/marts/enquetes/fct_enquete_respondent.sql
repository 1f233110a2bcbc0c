{#- Grain: one row per respondent of the current delivery of a survey and year,
    for every survey. No direct identifiers: the respondent number is replaced by
    a key, and the age is published as a band only. Scores are empty where a
    survey does not measure them. A respondent without a wijk or age band (every
    survey but the omnibus) points at the "onbekend" member of dim_wijk and
    dim_leeftijdsklasse. -#}
with

satisfaction as (

    select * from {{ ref('int_enquetes__tevredenheid_current') }}

),

ceo as (

    select * from {{ ref('int_enquetes__antwoorden') }}
    where onderzoek = 'ceo'

),

omnibus as (

    select * from {{ ref('int_enquetes__omnibus_scored') }}

),

respondents as (

    select
        respondent_key, gemeente_code, onderzoek, jaar, load_id,
        cijfer, is_tevreden
    from satisfaction

    union all by name

    select distinct respondent_key, gemeente_code, 'ceo' as onderzoek, jaar, load_id
    from ceo

    union all by name

    select
        respondent_key, gemeente_code, 'omnibus' as onderzoek, jaar, load_id,
        leeftijdsklasse, geslacht, wijk_code, weegfactor, gezondheid, is_gezondheid_goed, doet_vrijwilligerswerk,
        djg_ontbrekende_items, eenzaamheid_score, emotionele_eenzaamheid, sociale_eenzaamheid, eenzaamheid_klasse,
        is_eenzaam, is_ernstig_eenzaam
    from omnibus

),

final as (

    select
        respondent_key,
        gemeente_code,
        onderzoek,
        jaar,
        {{ onbekend('leeftijdsklasse') }} as leeftijdsklasse,
        cast(geslacht as integer) as geslacht_code,
        wijk_code,
        {{ surrogate_key(['gemeente_code', onbekend('wijk_code')]) }} as wijk_key,
        cast(coalesce(weegfactor, 1.0) as decimal(12, 6)) as weegfactor,
        cijfer,
        is_tevreden,
        cast(gezondheid as integer) as gezondheid_code,
        is_gezondheid_goed,
        doet_vrijwilligerswerk,
        cast(djg_ontbrekende_items as integer) as djg_ontbrekende_items,
        cast(eenzaamheid_score as integer) as eenzaamheid_score,
        cast(emotionele_eenzaamheid as integer) as emotionele_eenzaamheid,
        cast(sociale_eenzaamheid as integer) as sociale_eenzaamheid,
        eenzaamheid_klasse,
        is_eenzaam,
        is_ernstig_eenzaam,
        load_id as bron_load_id

    from respondents

)

select * from final
