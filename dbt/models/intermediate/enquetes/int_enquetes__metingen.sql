{#- Every survey outcome per respondent, for all surveys alike: one row per
    respondent and outcome (seeds/reference/enquete_uitkomsten.csv) with the
    respondent's weight (1 where a survey is not weighted), the breakdown
    attributes and the measurement: 1/0 for a percentage, the score for a mean,
    empty when the respondent gave no valid answer. Respondents outside an
    outcome's population (younger than vanaf_leeftijd) are left out. -#}
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

answers as (

    select * from {{ ref('enquete_antwoorden') }}

),

outcomes as (

    select * from {{ ref('enquete_uitkomsten') }}

),

satisfaction_measurements as (

    select
        gemeente_code, onderzoek, 'tevreden' as uitkomst, jaar, respondent_key,
        cast(null as integer) as leeftijd, cast(null as varchar) as leeftijdsklasse,
        cast(null as varchar) as wijk_code, 1.0 as gewicht,
        cast(is_tevreden as double) as meetwaarde
    from satisfaction

),

ceo_measurements as (

    select
        ceo.gemeente_code, 'ceo' as onderzoek, ceo.vraag as uitkomst, ceo.jaar, ceo.respondent_key,
        null, null, null, 1.0,
        case when answers.is_geldig then cast(answers.is_positief as double) end
    from ceo
    left join answers
        on answers.antwoordschaal = 'eens_oneens'
        and answers.antwoord_code = ceo.antwoord_code

),

omnibus_outcomes as (

    select
        gemeente_code, jaar, respondent_key, leeftijd, leeftijdsklasse, wijk_code, weegfactor,
        cast(is_gezondheid_goed as double) as gezondheid_goed,
        cast(doet_vrijwilligerswerk as double) as vrijwilligerswerk,
        cast(eenzaamheid_score as double) as eenzaamheid_score,
        cast(is_eenzaam as double) as eenzaam,
        cast(is_ernstig_eenzaam as double) as ernstig_eenzaam,
        cast(emotionele_eenzaamheid as double) as emotionele_eenzaamheid,
        cast(sociale_eenzaamheid as double) as sociale_eenzaamheid
    from omnibus

),

omnibus_measurements as (

    select
        gemeente_code, 'omnibus' as onderzoek, uitkomst, jaar, respondent_key,
        leeftijd, leeftijdsklasse, {{ onbekend('wijk_code') }} as wijk_code, weegfactor,
        meetwaarde
    from omnibus_outcomes
    unpivot include nulls (
        meetwaarde for uitkomst in (
            gezondheid_goed, vrijwilligerswerk, eenzaamheid_score, eenzaam, ernstig_eenzaam,
            emotionele_eenzaamheid, sociale_eenzaamheid
        )
    )

),

measurements as (

    select * from satisfaction_measurements
    union all
    select * from ceo_measurements
    union all
    select * from omnibus_measurements

),

final as (

    select
        measurements.gemeente_code,
        measurements.onderzoek,
        measurements.uitkomst,
        outcomes.maat,
        measurements.jaar,
        measurements.respondent_key,
        measurements.leeftijdsklasse,
        measurements.wijk_code,
        measurements.gewicht,
        measurements.meetwaarde

    from measurements
    inner join outcomes using (onderzoek, uitkomst)
    where outcomes.vanaf_leeftijd is null or measurements.leeftijd >= outcomes.vanaf_leeftijd

)

select * from final
