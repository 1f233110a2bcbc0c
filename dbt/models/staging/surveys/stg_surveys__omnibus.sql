{#- One row per respondent of the current omnibus delivery of each year, with
    the respondent number replaced by a key, the wijk resolved to its code and
    the age put in its band, and weight 1 for an unweighted delivery. Answers stay codes (see enquete_antwoorden). -#}
with

source as (

    select * from {{ source('surveys', 'omnibus') }}

),

wijken as (

    select * from {{ ref('wijken') }}

),

leeftijdsklassen as (

    select * from {{ ref('leeftijdsklassen') }}
    where indeling = 'standaard'

),

current_deliveries as (

    select *
    from source
    qualify load_id = max(load_id) over (partition by gemeente_code, jaar)

),

final as (

    select
        {{ pseudonym(['current_deliveries.gemeente_code', "'omnibus'", 'current_deliveries.jaar',
                          'current_deliveries.respondent_id']) }} as respondent_key,
        current_deliveries.respondent_id,
        current_deliveries.load_id,
        current_deliveries.loaded_at,
        current_deliveries.gemeente_code,
        current_deliveries.jaar,
        current_deliveries.leeftijd,
        leeftijdsklassen.leeftijdsklasse,
        wijken.wijk_code,
        -- An unweighted delivery has no weights: every respondent counts once.
        coalesce(cast(current_deliveries.weegfactor as double), 1.0) as weegfactor,
        current_deliveries.geslacht,
        current_deliveries.gezondheid,
        current_deliveries.djg_1,
        current_deliveries.djg_2,
        current_deliveries.djg_3,
        current_deliveries.djg_4,
        current_deliveries.djg_5,
        current_deliveries.djg_6,
        current_deliveries.djg_7,
        current_deliveries.djg_8,
        current_deliveries.djg_9,
        current_deliveries.djg_10,
        current_deliveries.djg_11,
        current_deliveries.vrijwilligerswerk

    from current_deliveries
    left join wijken
        on wijken.gemeente_code = current_deliveries.gemeente_code
        and (
            {{ name_key('wijken.wijk_naam') }} = {{ name_key('current_deliveries.wijk') }}
            or upper(wijken.wijk_code) = upper(current_deliveries.wijk)
        )
    left join leeftijdsklassen
        on current_deliveries.leeftijd between leeftijdsklassen.van_leeftijd
            and coalesce(leeftijdsklassen.tot_leeftijd, 200)

)

select * from final
